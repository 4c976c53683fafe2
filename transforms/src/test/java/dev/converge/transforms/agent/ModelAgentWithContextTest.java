package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.ContextDocument;
import dev.converge.transforms.model.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Model agents get the context documents at the top of the user message. */
class ModelAgentWithContextTest {
  private static final List<ContextDocument> DOCS =
      List.of(new ContextDocument("requirements.md", "- R1: use ``` fences\n"));

  /** A model agent that keeps the prompt it was asked. */
  private static final class Recorder implements ModelAgent {
    final AtomicReference<Prompt> asked = new AtomicReference<>();

    @Override
    public ModelReply call(ModelCall call) {
      asked.set(call.prompt());
      return null;
    }

    @Override
    public String id() {
      return "m";
    }

    @Override
    public String kind() {
      return "openai";
    }
  }

  @Test
  void theDocumentsComeBeforeTheTaskAndChangeTheFingerprint() throws Exception {
    Recorder recorder = new Recorder();
    ModelAgent agent = ModelAgentWithContext.wrap(recorder, DOCS);
    Task task = new Task("t", "r", "/r", "0".repeat(40), "do it", List.of(), "", "true", 30);
    Prompt prompt = PromptBuilder.build(task, List.of(), "");
    agent.call(new ModelCall(task, prompt, 0, 1, Duration.ofSeconds(1), TimeSource.system()));

    String user = recorder.asked.get().user();
    assertTrue(user.startsWith(ModelAgentWithContext.HEADER + "\n\n=== requirements.md ===\n````\n- R1: use ``` fences\n````\n"), user);
    assertTrue(user.endsWith(prompt.user()), user);
    assertEquals(prompt.system(), recorder.asked.get().system());
    assertEquals("m", agent.id());
    assertEquals("openai", agent.kind());
    assertNotEquals(recorder.fingerprint(), agent.fingerprint());
    assertSame(recorder, ModelAgentWithContext.wrap(recorder, List.of()));
  }
}
