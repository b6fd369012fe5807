package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void fieldsWithACommaAQuoteOrALineBreakAreQuotedWithTheirQuotesDoubled() {
        assertThat(Csv.field("fc1")).isEqualTo("fc1");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(Csv.field(null)).isEmpty();
        assertThat(Csv.field("")).isEmpty();
    }

    @Test
    void aHeaderAndRowsEachEndedByCrlf() {
        assertThat(Csv.of(List.of("a", "b"), List.of(List.of("1", "x,y"), Arrays.asList("", null))))
                .isEqualTo("a,b\r\n1,\"x,y\"\r\n,\r\n");
        assertThatThrownBy(() -> Csv.of(List.of("a", "b"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
