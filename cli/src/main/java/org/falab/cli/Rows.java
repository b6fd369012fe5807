package org.falab.cli;

import java.util.List;

import org.falab.cli.TextTable.Align;

/** A table of text cells, printed as a text table ({@link TextTable}) or as CSV ({@link Csv}) from the same rows. */
record Rows(List<String> header, List<List<String>> rows) {

    /** A text table, every column left-aligned, within {@link RunTable#WIDTH} where the last column can wrap. */
    List<String> table() {
        TextTable table = new TextTable();
        header.forEach(h -> table.column(h, Align.LEFT));
        rows.forEach(r -> table.row(r.stream().map(c -> c == null || c.isEmpty() ? "-" : c).toArray(String[]::new)));
        return table.lines(RunTable.WIDTH, 10);
    }

    String csv() {
        return Csv.of(header, rows);
    }
}
