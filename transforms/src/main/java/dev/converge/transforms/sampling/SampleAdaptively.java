package dev.converge.transforms.sampling;

import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Adaptive sampling: samples each task in waves and stops as soon as its vote is decided.
 *
 * <p>The first wave makes {@code minSamples} samples of every task; each later wave makes {@code
 * wave} more samples of the tasks the {@link StoppingRule} does not yet call decided, until {@code
 * maxSamples}. Every sample is checked (constraints and tests) before the rule looks at it. The
 * waves are unrolled into stages (Wave1, Decide1, Wave2, ...), so a decided task costs no further
 * call, and the same seed and cache give the same samples and the same stops. The output is every
 * candidate of every task, as {@link ImplementTasks} followed by the checks would give, for the
 * vote.
 */
public final class SampleAdaptively
    extends PTransform<PCollection<Task>, PCollection<KV<Task, Candidate>>> {
  private static final TupleTag<KV<Task, Candidate>> DECIDED = new TupleTag<>() {};
  private static final TupleTag<KV<Task, Candidate>> OPEN = new TupleTag<>() {};
  private static final TupleTag<Task> MORE = new TupleTag<>() {};

  private final ImplementTasks implement;
  private final PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> check;
  private final StoppingRule rule;
  private final int minSamples;
  private final int maxSamples;
  private final int wave;

  private SampleAdaptively(
      ImplementTasks implement,
      PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> check,
      StoppingRule rule,
      int minSamples,
      int maxSamples,
      int wave) {
    this.implement = implement;
    this.check = check;
    this.rule = rule;
    this.minSamples = minSamples;
    this.maxSamples = maxSamples;
    this.wave = wave;
  }

  /**
   * Samples with {@code implement} (its agents, budget and cache; its sample count is set per wave)
   * and checks each wave with {@code check}. Defaults: 3 to 9 samples, waves of 1, {@link
   * StoppingRule} of 3 agreeing with a lead of 2.
   */
  public static SampleAdaptively with(
      ImplementTasks implement,
      PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> check) {
    return new SampleAdaptively(
        Objects.requireNonNull(implement, "implement"), Objects.requireNonNull(check, "check"),
        new StoppingRule(3, 2), 3, 9, 1);
  }

  /** Samples per task: {@code min} in the first wave, never more than {@code max}. */
  public SampleAdaptively withSamples(int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("need 1 <= min <= max samples, got " + min + " and " + max);
    }
    return new SampleAdaptively(implement, check, rule, min, max, wave);
  }

  /** Samples added to each undecided task per later wave (default 1: the fewest calls). */
  public SampleAdaptively withWave(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("a wave has at least 1 sample, got " + samples);
    }
    return new SampleAdaptively(implement, check, rule, minSamples, maxSamples, samples);
  }

  public SampleAdaptively withRule(StoppingRule newRule) {
    return new SampleAdaptively(implement, check, Objects.requireNonNull(newRule, "rule"), minSamples, maxSamples, wave);
  }

  @Override
  public PCollection<KV<Task, Candidate>> expand(PCollection<Task> tasks) {
    KvCoder<Task, Candidate> candidateCoder = KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class));
    PCollection<KV<Task, Candidate>> open =
        tasks
            .apply("Wave1", implement.withSamples(minSamples).withFirstSample(0))
            .apply("CheckWave1", check);
    List<PCollection<KV<Task, Candidate>>> decided = new ArrayList<>();
    int sampled = minSamples;
    for (int number = 2; sampled < maxSamples; number++) {
      int size = Math.min(wave, maxSamples - sampled);
      PCollectionTuple split =
          open.apply(
                  "KeyWave" + (number - 1),
                  WithKeys.of((KV<Task, Candidate> kv) -> kv.getKey().id()).withKeyType(TypeDescriptors.strings()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), candidateCoder))
              .apply("GroupWave" + (number - 1), GroupByKey.create())
              .apply(
                  "Decide" + (number - 1),
                  ParDo.of(new DecideFn(rule)).withOutputTags(DECIDED, TupleTagList.of(OPEN).and(MORE)));
      decided.add(split.get(DECIDED).setCoder(candidateCoder));
      PCollection<KV<Task, Candidate>> more =
          split
              .get(MORE)
              .setCoder(JsonCoder.of(Task.class))
              .apply("Wave" + number, implement.withSamples(size).withFirstSample(sampled))
              .apply("CheckWave" + number, check);
      open =
          PCollectionList.of(split.get(OPEN).setCoder(candidateCoder))
              .and(more)
              .apply("Open" + number, Flatten.pCollections());
      sampled += size;
    }
    decided.add(open);
    return PCollectionList.of(decided).apply("AllSamples", Flatten.pCollections());
  }

  /** Sends a decided task's candidates on, and asks for another wave of an open one. */
  static final class DecideFn extends DoFn<KV<String, Iterable<KV<Task, Candidate>>>, KV<Task, Candidate>> {
    private final StoppingRule rule;

    DecideFn(StoppingRule rule) {
      this.rule = rule;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<Task, Candidate>>> group, MultiOutputReceiver out) {
      List<KV<Task, Candidate>> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      boolean decided = rule.decided(all.stream().map(KV::getValue).toList());
      all.forEach(kv -> out.get(decided ? DECIDED : OPEN).output(kv));
      if (!decided) {
        out.get(MORE).output(all.get(0).getKey());
      }
    }
  }
}
