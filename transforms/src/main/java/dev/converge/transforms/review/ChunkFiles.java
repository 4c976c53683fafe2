package dev.converge.transforms.review;

import dev.converge.transforms.model.JsonCoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The fan-out of a review: reads every file and cuts it into chunks of {@code lines} lines that
 * overlap by {@code overlap} lines (so a finding that spans a cut is still seen whole by one
 * call), times groups of at most {@code rulesPerCall} of the rules that apply to the file.
 *
 * <p>Outputs {@link #CHUNKS}, and {@link #SKIPPED}: one {@link ReviewCall} with status {@code
 * skipped} for every file that cannot be reviewed (binary, not UTF-8, too large, unreadable), so
 * that no file silently goes unreviewed.
 */
public final class ChunkFiles extends PTransform<PCollection<SourceFile>, PCollectionTuple> {
  public static final TupleTag<Chunk> CHUNKS = new TupleTag<>() {};
  public static final TupleTag<ReviewCall> SKIPPED = new TupleTag<>() {};

  public static final int DEFAULT_LINES = 200;
  public static final int DEFAULT_OVERLAP = 20;
  public static final int DEFAULT_RULES_PER_CALL = 10;
  public static final long DEFAULT_MAX_FILE_BYTES = 2L * 1024 * 1024;

  private final List<Rule> rules;
  private final int lines;
  private final int overlap;
  private final int rulesPerCall;
  private final long maxFileBytes;

  private ChunkFiles(List<Rule> rules, int lines, int overlap, int rulesPerCall, long maxFileBytes) {
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be at least 1, got " + lines);
    }
    if (overlap < 0 || overlap >= lines) {
      throw new IllegalArgumentException("overlap must be at least 0 and less than lines (" + lines + "), got " + overlap);
    }
    if (rulesPerCall < 1) {
      throw new IllegalArgumentException("rulesPerCall must be at least 1, got " + rulesPerCall);
    }
    this.rules = List.copyOf(rules);
    this.lines = lines;
    this.overlap = overlap;
    this.rulesPerCall = rulesPerCall;
    this.maxFileBytes = maxFileBytes;
  }

  public static ChunkFiles against(List<Rule> rules) {
    if (rules == null || rules.isEmpty()) {
      throw new IllegalArgumentException("at least one rule is needed");
    }
    return new ChunkFiles(rules, DEFAULT_LINES, DEFAULT_OVERLAP, DEFAULT_RULES_PER_CALL, DEFAULT_MAX_FILE_BYTES);
  }

  public ChunkFiles withLines(int newLines, int newOverlap) {
    return new ChunkFiles(rules, newLines, newOverlap, rulesPerCall, maxFileBytes);
  }

  public ChunkFiles withRulesPerCall(int newRulesPerCall) {
    return new ChunkFiles(rules, lines, overlap, newRulesPerCall, maxFileBytes);
  }

  public ChunkFiles withMaxFileBytes(long newMaxFileBytes) {
    return new ChunkFiles(rules, lines, overlap, rulesPerCall, newMaxFileBytes);
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceFile> files) {
    PCollectionTuple out =
        files.apply(
            "ReadAndChunk",
            ParDo.of(new ChunkFn(this)).withOutputTags(CHUNKS, TupleTagList.of(SKIPPED)));
    out.get(CHUNKS).setCoder(JsonCoder.of(Chunk.class));
    out.get(SKIPPED).setCoder(JsonCoder.of(ReviewCall.class));
    return out;
  }

  /** The line ranges {@code [start, end]} (1-based, inclusive) of the chunks of a file. */
  public static List<int[]> ranges(int totalLines, int lines, int overlap) {
    List<int[]> ranges = new ArrayList<>();
    int start = 1;
    while (start <= totalLines) {
      int end = Math.min(start + lines - 1, totalLines);
      ranges.add(new int[] {start, end});
      if (end == totalLines) {
        break;
      }
      start = end - overlap + 1;
    }
    return ranges;
  }

  /** The lines of a text, without their line ends; a final line end adds no empty line. */
  public static List<String> splitLines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> all = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (all.get(all.size() - 1).isEmpty()) {
      all.remove(all.size() - 1);
    }
    return all;
  }

  /** The rules that apply to {@code path}, in groups of at most {@code size}. */
  static List<List<Rule>> ruleGroups(List<Rule> rules, String path, int size) {
    List<Rule> applicable = rules.stream().filter(r -> r.appliesTo(path)).toList();
    List<List<Rule>> groups = new ArrayList<>();
    for (int i = 0; i < applicable.size(); i += size) {
      groups.add(applicable.subList(i, Math.min(applicable.size(), i + size)));
    }
    return groups;
  }

  static final class ChunkFn extends DoFn<SourceFile, Chunk> {
    private final List<Rule> rules;
    private final int lines;
    private final int overlap;
    private final int rulesPerCall;
    private final long maxFileBytes;
    private transient SourceReader reader;

    ChunkFn(ChunkFiles spec) {
      this.rules = spec.rules;
      this.lines = spec.lines;
      this.overlap = spec.overlap;
      this.rulesPerCall = spec.rulesPerCall;
      this.maxFileBytes = spec.maxFileBytes;
    }

    @Setup
    public void setup() {
      reader = new SourceReader();
    }

    @Teardown
    public void teardown() {
      if (reader != null) {
        reader.close();
      }
    }

    @ProcessElement
    public void process(@Element SourceFile file, MultiOutputReceiver out) {
      List<List<Rule>> groups = ruleGroups(rules, file.path(), rulesPerCall);
      if (groups.isEmpty()) {
        return;
      }
      String text;
      try {
        byte[] bytes = reader.read(file);
        if (bytes.length > maxFileBytes) {
          skip(out, file, "larger than " + maxFileBytes + " bytes (" + bytes.length + ")");
          return;
        }
        text = decode(bytes);
      } catch (Exception e) {
        skip(out, file, e.getClass().getSimpleName() + ": " + e.getMessage());
        return;
      }
      if (text == null) {
        skip(out, file, "not a UTF-8 text file");
        return;
      }
      List<String> all = splitLines(text);
      for (int[] range : ranges(all.size(), lines, overlap)) {
        String chunkText = String.join("\n", all.subList(range[0] - 1, range[1])) + "\n";
        for (List<Rule> group : groups) {
          out.get(CHUNKS)
              .output(
                  new Chunk(file.target(), file.path(), file.hash(), range[0], range[1], all.size(), chunkText, group));
        }
      }
    }

    private static void skip(MultiOutputReceiver out, SourceFile file, String reason) {
      out.get(SKIPPED)
          .output(
              new ReviewCall(
                  file.target(), file.path(), 0, 0, List.of(), "", "", 0, ReviewCall.SKIPPED, reason, 0, 0, ""));
    }

    /** The text of a file, or null when it is binary (has a NUL byte) or not UTF-8. */
    private static String decode(byte[] bytes) {
      for (byte b : bytes) {
        if (b == 0) {
          return null;
        }
      }
      try {
        String text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
      } catch (CharacterCodingException e) {
        return null;
      }
    }
  }
}
