package org.falab.gateway.rest;

import java.util.List;

/**
 * CSV as RFC 4180 writes it, so that pandas' {@code read_csv} and Python's {@code csv} module read it without
 * options: one header row, CRLF line ends, a field quoted (its quotes doubled) only when it holds a comma, a quote or
 * a line break; a null is an empty field (pandas reads it as NaN).
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv; charset=utf-8";

    private final StringBuilder text = new StringBuilder();

    /** A new CSV document whose first row is {@code header}. */
    Csv(List<String> header) {
        row(header.toArray());
    }

    /** Appends one row; numbers as Java writes them (a double's shortest exact form), other values as text. */
    Csv row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(field(values[i]));
        }
        text.append("\r\n");
        return this;
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
