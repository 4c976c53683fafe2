package dev.converge.transforms.sampling;

import dev.converge.transforms.agent.Budget;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import java.util.Iterator;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The two steps between the tiers of a model cascade: {@link #split} the outcomes of a tier into
 * the settled ones and those that go to the next (more expensive) tier, and {@link #after} join the
 * next tier's outcomes with the earlier ones, so that a task's outcome keeps every tier's
 * candidates, verdicts and costs.
 */
public final class CascadeTiers {
  /** Outcomes that are final: merged, or failed because the budget is spent. */
  public static final TupleTag<Outcome> SETTLED = new TupleTag<>() {};

  /** Outcomes whose tasks go to the next tier. */
  public static final TupleTag<Outcome> ESCALATED = new TupleTag<>() {};

  private static final TupleTag<Outcome> BEFORE = new TupleTag<>() {};
  private static final TupleTag<Outcome> NOW = new TupleTag<>() {};

  private CascadeTiers() {}

  /** Whether a task with this outcome goes to the next tier. */
  public static boolean escalates(Outcome outcome) {
    return outcome.state() != TaskState.MERGED && !outcome.reason().startsWith(Budget.REASON_PREFIX + ":");
  }

  /** Splits a tier's outcomes into {@link #SETTLED} and {@link #ESCALATED}. */
  public static PTransform<PCollection<Outcome>, PCollectionTuple> split(int tier) {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PCollection<Outcome> outcomes) {
        PCollectionTuple split =
            outcomes.apply(
                "SplitTier" + tier,
                ParDo.of(new SplitFn()).withOutputTags(SETTLED, TupleTagList.of(ESCALATED)));
        split.get(SETTLED).setCoder(JsonCoder.of(Outcome.class));
        split.get(ESCALATED).setCoder(JsonCoder.of(Outcome.class));
        return split;
      }
    };
  }

  /** The tasks of escalated outcomes, for the next tier's agents. */
  public static MapElements<Outcome, Task> tasks() {
    return MapElements.into(TypeDescriptor.of(Task.class)).via((Outcome o) -> o.task());
  }

  /**
   * Joins tier {@code tier}'s outcomes with the {@code earlier} outcomes of the same tasks (every
   * task of this tier has exactly one).
   */
  public static PTransform<PCollection<Outcome>, PCollection<Outcome>> after(
      PCollection<Outcome> earlier, int tier) {
    return new PTransform<>() {
      @Override
      public PCollection<Outcome> expand(PCollection<Outcome> outcomes) {
        return KeyedPCollectionTuple.of(BEFORE, keyed(earlier, "KeyEarlier" + tier))
            .and(NOW, keyed(outcomes, "KeyTier" + tier))
            .apply("JoinTier" + tier, CoGroupByKey.create())
            .apply("AfterTier" + tier, ParDo.of(new AfterFn(tier)))
            .setCoder(JsonCoder.of(Outcome.class));
      }
    };
  }

  private static PCollection<KV<String, Outcome>> keyed(PCollection<Outcome> outcomes, String name) {
    return outcomes
        .apply(name, WithKeys.of((Outcome o) -> o.task().id()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Outcome.class)));
  }

  static final class SplitFn extends DoFn<Outcome, Outcome> {
    @ProcessElement
    public void process(@Element Outcome outcome, MultiOutputReceiver out) {
      out.get(escalates(outcome) ? ESCALATED : SETTLED).output(outcome);
    }
  }

  static final class AfterFn extends DoFn<KV<String, CoGbkResult>, Outcome> {
    private final int tier;

    AfterFn(int tier) {
      this.tier = tier;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Outcome> out) {
      Outcome earlier = joined.getValue().getOnly(BEFORE);
      Iterator<Outcome> decided = joined.getValue().getAll(NOW).iterator();
      // Never expected (every escalated task is planned again); if it happens, keep the evidence.
      out.output(
          decided.hasNext()
              ? decided.next().afterTier(earlier, tier)
              : earlier.withState(TaskState.FAILED, "tier " + tier + " gave no result; " + earlier.reason()));
    }
  }
}
