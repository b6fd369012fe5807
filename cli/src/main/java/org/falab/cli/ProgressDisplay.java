package org.falab.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The progress display of every waiting command ({@code run watch}, {@code sweep watch}, {@code demo},
 * {@code reproduce}): one bar per run ({@link ProgressBar}) and notes above them.
 *
 * <p>On a terminal ({@code live}) the bars are redrawn in place after each poll (ANSI cursor-up and erase-line),
 * each cut to the terminal's width so that none wraps and the redraw stays aligned. Anywhere else (a pipe, a file,
 * a CI log) a bar is printed as a new line only when it changed, so a log holds each step of progress once.
 */
final class ProgressDisplay {

    private static final String ESC = "\033[";

    private final PrintWriter out;
    private final boolean live;
    private final int columns;
    private final Map<String, String> bars = new LinkedHashMap<>();
    private final Map<String, String> printed = new LinkedHashMap<>();
    private int drawn;

    /** @param columns the terminal's width, for live mode */
    ProgressDisplay(PrintWriter out, boolean live, int columns) {
        this.out = out;
        this.live = live;
        this.columns = Math.max(20, columns);
    }

    /** A display that prints changed lines (not a terminal). */
    static ProgressDisplay lines(PrintWriter out) {
        return new ProgressDisplay(out, false, 0);
    }

    /** Sets the bar of run {@code id} (shown at the next {@link #render()}); new runs go below the others. */
    void update(String id, String bar) {
        bars.put(id, bar);
    }

    /** Shows the bars: redrawn on a terminal, else the ones that changed since they were last printed. */
    void render() {
        if (live) {
            redraw();
        } else {
            for (Map.Entry<String, String> bar : bars.entrySet()) {
                if (!bar.getValue().equals(printed.get(bar.getKey()))) {
                    out.println(bar.getValue());
                    printed.put(bar.getKey(), bar.getValue());
                }
            }
        }
        out.flush();
    }

    /** A message above the bars (on a terminal the bars are drawn again below it). */
    void note(String text) {
        if (live && drawn > 0) {
            out.print(ESC + drawn + "F" + ESC + "J");
            drawn = 0;
            out.println(text);
            redraw();
        } else {
            out.println(text);
        }
        out.flush();
    }

    private void redraw() {
        if (drawn > 0) {
            out.print(ESC + drawn + "F");
        }
        for (String bar : bars.values()) {
            out.print(ESC + "2K");
            out.println(bar.length() > columns - 1 ? bar.substring(0, columns - 1) : bar);
        }
        drawn = bars.size();
    }
}
