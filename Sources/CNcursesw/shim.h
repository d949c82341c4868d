#ifndef KLSCOPE_CNCURSESW_SHIM_H
#define KLSCOPE_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#endif
