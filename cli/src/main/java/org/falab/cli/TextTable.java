package org.falab.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row and rows, columns two spaces apart, each as wide as its widest cell. The last
 * column may wrap (at spaces) so that lines stay within a width; its continuation lines are indented to it.
 * Trailing spaces are removed.
 */
final class TextTable {

    enum Align { LEFT, RIGHT }

    private static final String GAP = "  ";

    private final List<String> headers = new ArrayList<>();
    private final List<Align> aligns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    TextTable column(String header, Align align) {
        headers.add(header);
        aligns.add(align);
        return this;
    }

    TextTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns");
        }
        rows.add(Arrays.copyOf(cells, cells.length));
        return this;
    }

    /**
     * The header line and one line per row (more where the last column wraps).
     *
     * @param maxWidth the last column wraps to keep lines within this width, but is never made narrower than
     *                 {@code minLastWidth}
     */
    List<String> lines(int maxWidth, int minLastWidth) {
        int n = headers.size();
        int[] widths = new int[n];
        for (int c = 0; c < n; c++) {
            widths[c] = headers.get(c).length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        int indent = 0;
        for (int c = 0; c < n - 1; c++) {
            indent += widths[c] + GAP.length();
        }
        int lastWidth = Math.max(Math.max(minLastWidth, headers.get(n - 1).length()), maxWidth - indent);
        List<String> lines = new ArrayList<>();
        lines.add(line(headers.toArray(String[]::new), widths, List.of(headers.get(n - 1))));
        for (String[] row : rows) {
            List<String> last = wrap(row[n - 1], lastWidth);
            lines.add(line(row, widths, last));
            for (int i = 1; i < last.size(); i++) {
                lines.add((" ".repeat(indent) + last.get(i)).stripTrailing());
            }
        }
        return lines;
    }

    private String line(String[] cells, int[] widths, List<String> last) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String cell = c == cells.length - 1 ? last.get(0) : cells[c];
            if (c > 0) {
                line.append(GAP);
            }
            int pad = Math.max(0, widths[c] - cell.length());
            if (aligns.get(c) == Align.RIGHT) {
                line.append(" ".repeat(pad)).append(cell);
            } else {
                line.append(cell).append(c == cells.length - 1 ? "" : " ".repeat(pad));
            }
        }
        return line.toString().stripTrailing();
    }

    /** The text in lines of at most {@code width} characters, broken at spaces (a longer word is cut). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            while (word.length() > width) {
                if (current.length() > 0) {
                    lines.add(current.toString());
                    current.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                lines.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(word);
        }
        if (current.length() > 0 || lines.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }
}
