#ifndef KLSCOPE_CNCURSESW_SHIM_H
#define KLSCOPE_CNCURSESW_SHIM_H
// The wide-character API (cchar_t, setcchar, wget_wch, …) only exists with this define,
// and it must come before curses.h. See /work/shared/NCURSES.md.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <langinfo.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Function-like macros and C globals that Swift cannot import or read directly.

static inline attr_t klscope_attr_bold(void) { return A_BOLD; }
static inline attr_t klscope_attr_reverse(void) { return A_REVERSE; }
static inline attr_t klscope_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t klscope_attr_dim(void) { return A_DIM; }
static inline attr_t klscope_attr_normal(void) { return A_NORMAL; }

static inline int klscope_key_f(int n) { return KEY_F(n); }

static inline mmask_t klscope_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t klscope_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t klscope_button2_pressed(void) { return BUTTON2_PRESSED; }
static inline mmask_t klscope_button2_released(void) { return BUTTON2_RELEASED; }
static inline mmask_t klscope_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t klscope_button3_released(void) { return BUTTON3_RELEASED; }
static inline mmask_t klscope_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t klscope_button5_pressed(void) { return BUTTON5_PRESSED; }

static inline int klscope_colors(void) { return COLORS; }
static inline int klscope_color_pairs(void) { return COLOR_PAIRS; }
static inline WINDOW *klscope_stdscr(void) { return stdscr; }
static inline WINDOW *klscope_curscr(void) { return curscr; }

// wcwidth is only declared with _XOPEN_SOURCE, which SwiftPM does not pass.
static inline int klscope_wcwidth(wchar_t c) {
    extern int wcwidth(wchar_t);
    return wcwidth(c);
}

static inline FILE *klscope_stdin(void) { return stdin; }
static inline FILE *klscope_stdout(void) { return stdout; }

#endif
