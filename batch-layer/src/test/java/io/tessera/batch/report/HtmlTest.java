package io.tessera.batch.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesEveryCharacterThatCouldOpenMarkupOrCloseAnAttribute() {
        assertThat(Html.escape("<a href='x'>\"&\"</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void numbersAreShort() {
        assertThat(Html.number(400.0)).isEqualTo("400");
        assertThat(Html.number(0.838113978)).isEqualTo("0.8381");
        assertThat(Html.number(0.5)).isEqualTo("0.5");
        assertThat(Html.number(1.6653345369377348E-16)).isEqualTo("1.665e-16");
        assertThat(Html.number(1e-12)).isEqualTo("1.000e-12".replace(".000", ""));
        assertThat(Html.number(Double.NaN)).isEqualTo("NaN");
    }
}
