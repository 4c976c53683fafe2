package dev.converge.transforms.review;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.transforms.agent.Redactor;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.report.OutputFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes reported findings as SARIF 2.1.0, within GitHub code scanning's limits: at most {@value
 * #MAX_RESULTS_PER_RUN} results per run and {@value #MAX_RUNS_PER_FILE} runs per file.
 *
 * <p>Each target gets its own run (a target is one repository; upload its run to that
 * repository), even without findings, so that code scanning closes the alerts of fixed findings.
 * A target with more results than a run may hold is split into several runs, most severe findings
 * first. Each run has its own {@code automationDetails.id} (the code scanning category) {@code
 * converge/<spec>/<target>/}, with {@code part-<n>/} added to the parts after the first. When
 * there are more runs than a file may hold, the rest go to {@code findings-2.sarif}, {@code
 * findings-3.sarif} and so on.
 *
 * <p>Every result has a {@code partialFingerprints} entry {@value #FINGERPRINT_KEY}: a hash of the
 * target, file, rule and flagged text (whitespace-normalized) plus an occurrence number, so it
 * follows a finding when lines move.
 */
public final class Sarif {
  public static final String FILE_NAME = "findings.sarif";
  public static final String SCHEMA_URI =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  public static final int MAX_RESULTS_PER_RUN = 25_000;
  public static final int MAX_RUNS_PER_FILE = 20;
  public static final String FINGERPRINT_KEY = "convergeFindingHash/v1";
  private static final int MAX_SNIPPET_CHARS = 2000;

  private Sarif() {}

  /** The SARIF files written: their names, how many runs and results they hold together. */
  public record Written(List<String> files, int runs, int results) {}

  /**
   * The SARIF logs for {@code findings}, one per output file.
   *
   * @param spec the spec's name, part of every run's category
   * @param targets every target of the job, in order; each gets at least one run
   * @param rules every rule of the job
   * @param findings the reported findings, with their fingerprints set
   */
  public static List<ObjectNode> logs(
      String spec,
      List<String> targets,
      List<Rule> rules,
      List<FindingCluster> findings,
      int maxResultsPerRun,
      int maxRunsPerFile) {
    Map<String, List<FindingCluster>> byTarget = new LinkedHashMap<>();
    targets.forEach(t -> byTarget.put(t, new ArrayList<>()));
    findings.forEach(f -> byTarget.computeIfAbsent(f.target(), t -> new ArrayList<>()).add(f));
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    rules.forEach(r -> ruleIndex.put(r.id(), ruleIndex.size()));

    List<ObjectNode> runs = new ArrayList<>();
    for (Map.Entry<String, List<FindingCluster>> entry : byTarget.entrySet()) {
      List<FindingCluster> results = new ArrayList<>(entry.getValue());
      results.sort(
          Comparator.comparing(FindingCluster::severity)
              .thenComparing(FindingCluster::path)
              .thenComparingInt(FindingCluster::startLine)
              .thenComparing(FindingCluster::rule)
              .thenComparing(FindingCluster::fingerprint));
      int parts = Math.max(1, (results.size() + maxResultsPerRun - 1) / maxResultsPerRun);
      for (int part = 0; part < parts; part++) {
        List<FindingCluster> slice =
            results.subList(part * maxResultsPerRun, Math.min(results.size(), (part + 1) * maxResultsPerRun));
        runs.add(run(spec, entry.getKey(), part, parts, rules, ruleIndex, slice));
      }
    }
    List<ObjectNode> logs = new ArrayList<>();
    for (int i = 0; i < runs.size(); i += maxRunsPerFile) {
      ObjectNode log = Json.MAPPER.createObjectNode();
      log.put("$schema", SCHEMA_URI);
      log.put("version", "2.1.0");
      ArrayNode runArray = log.putArray("runs");
      runs.subList(i, Math.min(runs.size(), i + maxRunsPerFile)).forEach(runArray::add);
      logs.add(log);
    }
    return logs;
  }

  /** Writes {@code findings.sarif} (and {@code findings-N.sarif} when needed) to {@code outputDir}. */
  public static Written write(
      String outputDir, String spec, List<String> targets, List<Rule> rules, List<FindingCluster> findings)
      throws IOException {
    List<ObjectNode> logs = logs(spec, targets, rules, findings, MAX_RESULTS_PER_RUN, MAX_RUNS_PER_FILE);
    List<String> names = new ArrayList<>();
    int runs = 0;
    for (int i = 0; i < logs.size(); i++) {
      String name = i == 0 ? FILE_NAME : "findings-" + (i + 1) + ".sarif";
      OutputFiles.write(OutputFiles.resolve(outputDir, name), Json.pretty(logs.get(i)));
      names.add(name);
      runs += logs.get(i).get("runs").size();
    }
    return new Written(names, runs, findings.size());
  }

  private static ObjectNode run(
      String spec,
      String target,
      int part,
      int parts,
      List<Rule> rules,
      Map<String, Integer> ruleIndex,
      List<FindingCluster> results) {
    ObjectNode run = Json.MAPPER.createObjectNode();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "Converge");
    driver.put("fullName", "Converge review (reviewer consensus and adversarial verification)");
    driver.put("version", toolVersion());
    ArrayNode ruleArray = driver.putArray("rules");
    rules.forEach(rule -> ruleArray.add(rule(rule)));
    run.putObject("automationDetails")
        .put("id", "converge/" + spec + "/" + target + "/" + (part == 0 ? "" : "part-" + (part + 1) + "/"));
    run.put("columnKind", "unicodeCodePoints");
    ArrayNode resultArray = run.putArray("results");
    results.forEach(f -> resultArray.add(result(f, ruleIndex)));
    ObjectNode properties = run.putObject("properties");
    properties.put("target", target);
    properties.put("part", part + 1);
    properties.put("parts", parts);
    return run;
  }

  private static ObjectNode rule(Rule rule) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", rule.id());
    node.put("name", rule.id());
    node.putObject("shortDescription").put("text", rule.title());
    node.putObject("fullDescription").put("text", rule.description().isEmpty() ? rule.title() : rule.description());
    node.putObject("help").put("text", rule.description().isEmpty() ? rule.title() : rule.description());
    node.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
    ObjectNode properties = node.putObject("properties");
    properties.put("security-severity", rule.severity().securitySeverity());
    properties.put("problem.severity", rule.severity().sarifLevel());
    properties.put("severity", rule.severity().label());
    properties.putArray("tags").add("security").add("converge-review");
    return node;
  }

  private static ObjectNode result(FindingCluster finding, Map<String, Integer> ruleIndex) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("ruleId", finding.rule());
    Integer index = ruleIndex.get(finding.rule());
    if (index != null) {
      node.put("ruleIndex", index);
    }
    node.put("level", finding.severity().sarifLevel());
    node.put("kind", "fail");
    // A finding about a hard-coded key must not publish the key again wherever SARIF is uploaded.
    node.putObject("message").put("text", Redactor.redact(finding.message()));
    ObjectNode physical = node.putArray("locations").addObject().putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uri(finding.path()));
    ObjectNode region = physical.putObject("region");
    region.put("startLine", finding.startLine());
    region.put("endLine", finding.endLine());
    if (!finding.snippet().isEmpty()) {
      String snippet = Redactor.redact(finding.snippet());
      region.putObject("snippet")
          .put("text", snippet.length() > MAX_SNIPPET_CHARS ? snippet.substring(0, MAX_SNIPPET_CHARS) : snippet);
    }
    node.putObject("partialFingerprints").put(FINGERPRINT_KEY, finding.fingerprint());
    ObjectNode properties = node.putObject("properties");
    properties.put("severity", finding.severity().label());
    properties.put("state", finding.state().label());
    properties.put("new", finding.newFinding());
    ArrayNode reviewers = properties.putArray("reviewers");
    finding.reviewers().forEach(reviewers::add);
    if (finding.verdict() != null) {
      properties.put("verdict", finding.verdict().status());
      properties.put("verdictReason", finding.verdict().reason());
    }
    return node;
  }

  /** A relative path as a URI reference: each segment percent-encoded, '/' kept. */
  static String uri(String path) {
    try {
      String encoded = new URI(null, null, path, null).toASCIIString();
      // A first segment with ':' would read as a URI scheme.
      String first = encoded.contains("/") ? encoded.substring(0, encoded.indexOf('/')) : encoded;
      return first.contains(":") ? "./" + encoded : encoded;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot make a URI of " + path, e);
    }
  }

  private static String toolVersion() {
    String version = Sarif.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
