package dev.converge.transforms.agent;

import dev.converge.transforms.model.ContextDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model agent that is given the job's context documents (the spec's {@code context}): they come
 * first in the user message of every prompt, each in its own fenced block under {@code ===
 * name ===}, after the line {@value #HEADER}. Everything else is the wrapped agent's; the documents
 * are part of its {@link #fingerprint()}, so editing one invalidates cached answers.
 */
public final class ModelAgentWithContext implements ModelAgent {
  static final String HEADER = "Spec documents of this job (requirements and design; the task must follow them):";

  private final ModelAgent agent;
  private final List<ContextDocument> documents;

  private ModelAgentWithContext(ModelAgent agent, List<ContextDocument> documents) {
    this.agent = agent;
    this.documents = List.copyOf(documents);
  }

  /** {@code agent} given {@code documents}; the agent itself when there are none. */
  public static ModelAgent wrap(ModelAgent agent, List<ContextDocument> documents) {
    return documents.isEmpty() ? agent : new ModelAgentWithContext(agent, documents);
  }

  public List<ContextDocument> documents() {
    return documents;
  }

  /** {@code prompt} with the documents before the task. */
  Prompt withDocuments(Prompt prompt) {
    StringBuilder user = new StringBuilder(HEADER).append('\n');
    for (ContextDocument document : documents) {
      String fence = PromptBuilder.fenceFor(document.text());
      user.append("\n=== ").append(document.name()).append(" ===\n").append(fence).append('\n')
          .append(document.text());
      if (!document.text().endsWith("\n")) {
        user.append('\n');
      }
      user.append(fence).append('\n');
    }
    user.append('\n').append(prompt.user());
    return new Prompt(prompt.system(), user.toString());
  }

  @Override
  public ModelReply call(ModelCall call) throws AgentCallException, InterruptedException {
    return agent.call(
        new ModelCall(call.task(), withDocuments(call.prompt()), call.sample(), call.attempt(), call.timeout(), call.time()));
  }

  @Override
  public String id() {
    return agent.id();
  }

  @Override
  public String kind() {
    return agent.kind();
  }

  @Override
  public String model() {
    return agent.model();
  }

  @Override
  public CallLimits limits() {
    return agent.limits();
  }

  @Override
  public String providerKey() {
    return agent.providerKey();
  }

  @Override
  public long maxOutputTokens() {
    return agent.maxOutputTokens();
  }

  @Override
  public boolean cacheable() {
    return agent.cacheable();
  }

  @Override
  public Map<String, String> fingerprint() {
    Map<String, String> fingerprint = new TreeMap<>(agent.fingerprint());
    StringBuilder all = new StringBuilder();
    documents.forEach(d -> all.append(d.name()).append('\u0000').append(d.text()).append('\u0000'));
    try {
      fingerprint.put(
          "context",
          HexFormat.of().formatHex(
              MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    return fingerprint;
  }
}
