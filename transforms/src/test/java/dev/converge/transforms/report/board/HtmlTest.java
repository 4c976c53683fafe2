package dev.converge.transforms.report.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEveryCharacterThatCanOpenMarkupOrCloseAnAttribute() {
    assertEquals(
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;",
        Html.escape("<img src=x onerror=\"alert(1)\"> & 'q'"));
  }

  @Test
  void nullIsEmptyAndPlainTextIsUnchanged() {
    assertEquals("", Html.escape(null));
    assertEquals("fix-slugify #0 — ok", Html.escape("fix-slugify #0 — ok"));
  }
}
