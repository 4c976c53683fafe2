package dev.converge.transforms.agent;

/**
 * A model's answer.
 *
 * @param text the answer text; it must hold a unified diff (see {@link PromptBuilder})
 * @param model the model that answered, as the provider named it
 * @param inputTokens prompt tokens the provider counted
 * @param outputTokens answer tokens the provider counted
 * @param stopReason why the model stopped ({@code stop}, {@code end_turn}, {@code length}, ...)
 */
public record ModelReply(
    String text, String model, long inputTokens, long outputTokens, String stopReason) {

  public ModelReply {
    text = text == null ? "" : text;
    model = model == null ? "" : model;
    stopReason = stopReason == null ? "" : stopReason;
  }

  /** Whether the answer was cut off at the output token limit. */
  public boolean truncated() {
    return stopReason.equals("length") || stopReason.equals("max_tokens");
  }
}
