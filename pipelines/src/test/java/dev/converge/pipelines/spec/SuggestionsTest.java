package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS = List.of("timeoutSeconds", "type", "id");

  @Test
  void suggestsACandidateWithinTwoEdits() {
    assertEquals(Optional.of("type"), Suggestions.closest("tpye", KEYS));
    assertEquals(Optional.of("timeoutSeconds"), Suggestions.closest("timeoutSecond", KEYS));
  }

  @Test
  void suggestsACandidateThatDiffersOnlyInCase() {
    assertEquals(Optional.of("timeoutSeconds"), Suggestions.closest("TimeOutSeconds", KEYS));
  }

  @Test
  void suggestsNothingWhenEveryCandidateIsFar() {
    assertEquals(Optional.empty(), Suggestions.closest("timeout", KEYS));
  }

  @Test
  void hintListsTheCandidatesWhenNoneIsClose() {
    assertEquals(" (did you mean 'id'?)", Suggestions.hint("ids", KEYS, "allowed keys"));
    assertEquals(
        " (allowed keys: timeoutSeconds, type, id)",
        Suggestions.hint("timeout", KEYS, "allowed keys"));
  }

  @Test
  void computesEditDistances() {
    assertEquals(0, Suggestions.levenshtein("same", "same"));
    assertEquals(3, Suggestions.levenshtein("kitten", "sitting"));
    assertEquals(4, Suggestions.levenshtein("", "four"));
  }
}
