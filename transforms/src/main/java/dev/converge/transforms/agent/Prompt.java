package dev.converge.transforms.agent;

import java.io.Serializable;

/**
 * What a model agent is asked: a system message (the contract) and a user message (the task and
 * its files). See {@link PromptBuilder}.
 */
public record Prompt(String system, String user) implements Serializable {

  /** A rough token count (4 characters a token), for token-rate limits before the real count is known. */
  public long estimatedTokens() {
    return (system.length() + user.length()) / 4 + 1;
  }
}
