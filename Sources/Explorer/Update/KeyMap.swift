import TerminalUI

/// What a key does on the main screen, independent of which key it is.
public enum Command: Sendable, Hashable {
    case selectPrevious, selectNext, pageUp, pageDown, selectFirst, selectLast
    case focusNext, focusPrevious
    case decrease, increase, decreaseLarge, increaseLarge
    case toggleZero, typeValue
    case switchLayout, cycleBarScale, toggleSeries(Int), seriesMenu
    case toggleSweep, nextSweepQuantity, exportChart
    case toggleLab, switchLabGap, cancelLab, moveLabFit(Int), labBetaView, turnLabNotes
    case nextTourStep, previousTourStep
    case search, toggleNotes, open, save, saveAs
    case cycleSort, toggleTail
    case explain, dpoView, togglePin, play, slower, faster
    case undo, redo, help, quit, closeOverlay
}

/// The keys of the main screen, as data: `Update` looks keys up here and the help overlay
/// and the README table are written from it, so the three cannot disagree.
public enum KeyMap {
    /// One line of the key reference: the keys as shown, what they do, and the bindings.
    public struct Binding: Sendable {
        /// The keys as a person reads them, e.g. `↑/k`.
        public let keys: String
        /// The same keys spelled in ASCII, e.g. `Up/k`.
        public let asciiKeys: String
        /// What the keys do, in a few words (the help overlay).
        public let summary: String
        /// What the keys do, in full (the README).
        public let details: String
        /// Each key with its command.
        public let entries: [(Key, Command)]
    }

    /// Every binding of the main screen, in the order of the help overlay.
    public static let bindings: [Binding] = [
        Binding(keys: "↑/k ↓/j", asciiKeys: "Up/k Down/j", summary: "previous / next response",
                details: "Select the previous / next response.",
                entries: [(.up, .selectPrevious), (.character("k"), .selectPrevious), (.down, .selectNext), (.character("j"), .selectNext)]),
        Binding(keys: "PgUp PgDn", asciiKeys: "PgUp PgDn", summary: "a screenful up / down",
                details: "Move the selection a screenful up / down (long response lists).",
                entries: [(.pageUp, .pageUp), (.pageDown, .pageDown)]),
        Binding(keys: "Home End", asciiKeys: "Home End", summary: "first / last response",
                details: "Select the first / last response.",
                entries: [(.home, .selectFirst), (.end, .selectLast)]),
        Binding(keys: "Tab S-Tab", asciiKeys: "Tab S-Tab", summary: "next / previous control",
                details: "Focus the next / previous control: β, each weight, the selected response's reward, its probability under each reference.",
                entries: [(.tab, .focusNext), (.backTab, .focusPrevious)]),
        Binding(keys: "←/h →/l", asciiKeys: "Left/h Right/l", summary: "decrease / increase value",
                details: "Decrease / increase the focused value a small step: β ×1.2, weight ±0.05 (the others rescale to sum to 1), reward ±0.1, probability odds ×1.2 (the rest of that reference renormalises).",
                entries: [(.left, .decrease), (.character("h"), .decrease), (.right, .increase), (.character("l"), .increase)]),
        Binding(keys: "H L", asciiKeys: "H L", summary: "large decrease / increase",
                details: "The same in a large step: β ×3, weight ±0.2, reward ±1, probability odds ×3.",
                entries: [(.character("H"), .decreaseLarge), (.character("L"), .increaseLarge)]),
        Binding(keys: "Enter", asciiKeys: "Enter", summary: "type an exact value",
                details: "Type an exact value for the focused control on the bottom line (Enter accepts, Esc cancels; invalid input changes nothing).",
                entries: [(.enter, .typeValue)]),
        Binding(keys: "0", asciiKeys: "0", summary: "set p to 0 / restore it",
                details: "Set the selected response's probability under the focused reference to 0 (under the first reference when β or the reward is focused); press again to restore it. The rest of the reference renormalises.",
                entries: [(.character("0"), .toggleZero)]),
        Binding(keys: "u Ctrl-R", asciiKeys: "u Ctrl-R", summary: "undo / redo",
                details: "Undo / redo any edit of β, weights, rewards or probabilities. Opening a file clears the history.",
                entries: [(.character("u"), .undo), (.control("r"), .redo)]),
        Binding(keys: "1…9", asciiKeys: "1-9", summary: "hide / show series N",
                details: "Hide / show series N (the numbers are in the legend): the references, π_G, π_A, π_H, RKL*, FKL*, MRPO.",
                entries: (1...9).map { (.character(Character(String($0))), .toggleSeries($0)) }),
        Binding(keys: "x", asciiKeys: "x", summary: "menu of all series",
                details: "Open the series menu: every series, the tenth and later ones too (the legend marks those with x), with whether it is shown. ↑/↓ choose, Space or Enter hides / shows, a shows all, Esc or x closes.",
                entries: [(.character("x"), .seriesMenu)]),
        Binding(keys: "v b w W", asciiKeys: "v b w W", summary: "layout/bars/sweep/qty",
                details: "v switches the chart between rows (a block per response) and grouped columns. b cycles the bars' scale: automatic (the full bar is the largest visible value), fixed at today's full bar and then at 1 (kept while β, weights and probabilities move; longer bars are clipped), logarithmic (six decades below the largest value); the chart's title says which and the SVG export uses it too. w shows / hides the sweep view: line charts of RKL*, FKL* and MRPO over β (log scale, 1e-3 to 1e3) and, with two references or more, over one reference's weight from 0 to 1 (the one whose weight was focused last with Tab, first the first one; the others keep their proportions), with a marker at the current value; W steps through expected reward, entropy, KL to the own reference, objective (with the upper bounds Σα max J_k and Σα max J_FKL,k, dashed; over β the axis is clipped to the points with β ≤ 10 when the large-β values would flatten them, and the chart's title says so) and MRPO gap.",
                entries: [(.character("v"), .switchLayout), (.character("b"), .cycleBarScale), (.character("w"), .toggleSweep), (.character("W"), .nextSweepQuantity)]),
        Binding(keys: "m g c f F", asciiKeys: "m g c f F", summary: "lab view/gap/cancel/fit",
                details: "m opens / closes the coverage lab view: it runs the sample-complexity lab of klscope lab on the current scenario in the background (m 1,000 to 100,000 pairs, 6 steps, 100 seeds: the large-m regime) and plots each method's mean gap against m (log-log, a whisker at each m for the 95% interval of the mean over the seeds, mean ± 1.96 standard errors, fitted slope), with each response's coverage and reward error at the largest m and the lab's notes. g switches between the sub-optimality and the optimality gap; c cancels the run (or runs it again). Dotted lines are the large-m theory (its constant over m or √m; for MRPO's sub-optimality gap, flat at the MRPO gap it tends to), slopes carry 95% bootstrap intervals over seeds; f starts the fit one m later, F one earlier. Esc closes it; an edit restarts it on the edited scenario.",
                entries: [(.character("m"), .toggleLab), (.character("g"), .switchLabGap), (.character("c"), .cancelLab),
                          (.character("f"), .moveLabFit(1)), (.character("F"), .moveLabFit(-1))]),
        Binding(keys: "B N", asciiKeys: "B N", summary: "lab: β constants / notes",
                details: "B shows the lab's large-m constants across β (the table of klscope lab --over beta: lim m·E[sub-optimality gap] and lim √m·E[optimality gap] of each method at half decades of β from 0.01 to 10 and at the current β, marked; no sampling), with the reason where a constant does not exist; Esc or B closes it. N shows the next page of the lab view's notes when they do not fit (the last row says which lines are shown); after the last page, the first again.",
                entries: [(.character("B"), .labBetaView), (.character("N"), .turnLabNotes)]),
        Binding(keys: "e", asciiKeys: "e", summary: "export chart as SVG",
                details: "Write the chart on screen (bars, the sweep view, or the coverage lab view's log-log plot with the 95% intervals of the means and the theory's lines) as an SVG for slides, next to the scenario file (or in the working directory for the built-in one), named after it: chat-vs-math-bars.svg, chat-vs-math-sweep.svg, chat-vs-math-lab.svg; in a tour, in the working directory, named after the step: lesson-step3-bars.svg. An existing file is never overwritten: the next press writes chat-vs-math-bars-2.svg, and so on. The status line says the full path (or, while the sweeps are still being computed or the lab is still running, to press e again).",
                entries: [(.character("e"), .exportChart)]),
        Binding(keys: "[ ]", asciiKeys: "[ ]", summary: "previous / next tour step",
                details: "In a guided tour (klscope tour FILE): go to the previous / next step. Each step sets the scenario and the view and shows its caption in the notes box.",
                entries: [(.character("["), .previousTourStep), (.character("]"), .nextTourStep)]),
        Binding(keys: "t", asciiKeys: "t", summary: "sort the chart",
                details: "Sort the chart's responses, largest first: by reward, then by each series' probability (the references, π_G, π_A, π_H, RKL*, FKL*, MRPO), then back to the file's order. The chart's title says the order; the selection stays on its response.",
                entries: [(.character("t"), .cycleSort)]),
        Binding(keys: "a", asciiKeys: "a", summary: "sum the tail as \"rest\"",
                details: "Show only the responses that fit on screen from the top of the chart's order (t) and one last block, \"rest\", with each series' total probability over all the others; press again for the whole list. The selection stays in the top; finding a response of the rest with / shows the whole list again.",
                entries: [(.character("a"), .toggleTail)]),
        Binding(keys: "/", asciiKeys: "/", summary: "find a response by label",
                details: "Find a response by label as you type (case-insensitive): the one whose label is the text, else the next one containing it; Enter keeps it, Esc goes back.",
                entries: [(.character("/"), .search)]),
        Binding(keys: "n", asciiKeys: "n", summary: "show / hide notes",
                details: "Show / hide the scenario's notes.",
                entries: [(.character("n"), .toggleNotes)]),
        Binding(keys: "o", asciiKeys: "o", summary: "open a scenario file",
                details: "Open a scenario: the picker lists the folders and scenario files of examples/, the working directory and the installed examples; Enter on a folder (or ..) goes into it. Type a path (relative to the folder shown, or absolute, ~ too) and press Enter; Tab completes it from the list, going into a folder it completes to. ↑/↓ choose, Esc closes; asks first when there are unsaved changes. The list is made in the background from at most the first 64 KiB of each file, so keys work while it comes (\"listing scenario files…\").",
                entries: [(.character("o"), .open)]),
        Binding(keys: "s S", asciiKeys: "s S", summary: "save / save as",
                details: "Save to the scenario's file (the built-in default asks for a path) / save under a new path. Asks before overwriting a file that changed on disk or already exists.",
                entries: [(.character("s"), .save), (.character("S"), .saveAs)]),
        Binding(keys: "i", asciiKeys: "i", summary: "explain a series / number",
                details: "Explain what a series or number is: its formula, support, the paper's reference and a sentence of meaning, with the current numbers substituted for the selected response. It opens on the series the chart is sorted by (else the focused reference, else RKL*); ←/→ (Tab) step through every series and λ, escaped mass, both bounds, the MRPO gap and coverage; Esc or i closes.",
                entries: [(.character("i"), .explain)]),
        Binding(keys: "d", asciiKeys: "d", summary: "DPO view: implied rewards",
                details: "Show the DPO view: for each response, r beside the rewards the optimal policies imply, β log(π*_RKL/π_G) and λ − β π_A/π*_FKL (and those of the pinned setting, p), each shifted by one constant to read against r. On a policy's support its column is r again; outside it, where the policy gives 0, the cell says outside (undefined). A table longer than the screen opens at the selected response and scrolls: ↑↓ (j k) a row, PgUp PgDn (Space) a page, Home End (g G) to either end; the mouse wheel scrolls it 3 rows. Esc or d closes.",
                entries: [(.character("d"), .dpoView)]),
        Binding(keys: "p", asciiKeys: "p", summary: "pin / unpin the setting",
                details: "Pin the current setting (β, weights, rewards, probabilities) to compare with: the chart draws the pinned policies as ghost marks (┊ in rows, ╌ in columns) beside the live bars, the numbers panel shows pinned → now with the difference, and the SVG export draws the ghosts too. Press again to unpin; opening a file unpins.",
                entries: [(.character("p"), .togglePin)]),
        Binding(keys: "Space < >", asciiKeys: "Space < >", summary: "play / pause, speed",
                details: "Play: animate β over its slider's log range (1e-3 to 1e3, back and forth), or the focused weight from 0 to 1 (the others rescale), at a steady pace with the bars moving; the title shows the running value. < / > make it slower / faster (×0.25 to ×4, kept for the next play); any other key pauses, leaving one undo step back to where it started.",
                entries: [(.character(" "), .play), (.character("<"), .slower), (.character(">"), .faster)]),
        Binding(keys: "?", asciiKeys: "?", summary: "this help",
                details: "Show this key reference (F1 too); ↑/↓ scroll it when the terminal is small.",
                entries: [(.character("?"), .help), (.function(1), .help)]),
        Binding(keys: "Esc", asciiKeys: "Esc", summary: "close overlay or notes",
                details: "Close the open overlay, or the notes.",
                entries: [(.escape, .closeOverlay)]),
        Binding(keys: "q", asciiKeys: "q", summary: "quit (asks if unsaved)",
                details: "Quit; asks first (y/n) when there are unsaved changes. Ctrl-C does the same.",
                entries: [(.character("q"), .quit), (.control("c"), .quit)]),
    ]

    /// Keys inside overlays and text fields, for the help overlay: (keys, what they do).
    public static let overlayKeys: [(keys: String, asciiKeys: String, summary: String, details: String)] = [
        ("Enter Esc", "Enter Esc", "accept / cancel a field",
         "In a text field, the picker or a message box: accept / cancel. ←/→, Home/End, Backspace, Delete and Ctrl-U edit the text."),
        ("y n", "y n", "answer yes / no (Esc: no)", "Answer a yes/no question (Esc is no)."),
        ("mouse", "mouse", "select / set / scroll",
         "Click a response to select it, a slider to set β (log scale) or a weight, a control to focus it; the wheel scrolls the chart."),
    ]

    /// The command bound to `key` on the main screen.
    public static func command(for key: Key) -> Command? { table[key] }

    private static let table: [Key: Command] = {
        var table: [Key: Command] = [:]
        for binding in bindings {
            for (key, command) in binding.entries { table[key] = command }
        }
        return table
    }()

    /// The key reference as a Markdown table, for the README.
    public static var markdown: String {
        var lines = ["| Key | Action |", "|---|---|"]
        for binding in bindings { lines.append("| `\(binding.keys)` | \(binding.details) |") }
        for entry in overlayKeys { lines.append("| `\(entry.keys)` | \(entry.details) |") }
        return lines.joined(separator: "\n")
    }
}
