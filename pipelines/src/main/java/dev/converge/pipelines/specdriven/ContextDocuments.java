package dev.converge.pipelines.specdriven;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.Spec;
import dev.converge.transforms.model.ContextDocument;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's {@code context} documents, read once on the driver, and the hashes that pin them.
 *
 * @param documents the documents in spec order, named as the spec names them
 * @param hashes SHA-256 of each document's content, by name, in spec order
 * @param hash SHA-256 of all names and contents together ({@code ""} when there are none)
 */
public record ContextDocuments(List<ContextDocument> documents, Map<String, String> hashes, String hash) {
  /** The most characters of one document: context is for agents to read, not a data channel. */
  public static final int MAX_CHARS = 1_000_000;

  public static final ContextDocuments NONE = new ContextDocuments(List.of(), Map.of(), "");

  public ContextDocuments {
    documents = List.copyOf(documents);
    hashes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
  }

  /** Reads the documents of {@code spec}, relative to {@code specDir}. */
  public static ContextDocuments read(Spec spec, Path specDir) throws PlanException {
    if (spec.context().isEmpty()) {
      return NONE;
    }
    List<ContextDocument> documents = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (int i = 0; i < spec.context().size(); i++) {
      String name = spec.context().get(i).strip();
      String field = "context[" + i + "]";
      Path file;
      try {
        file = specDir.resolve(name).normalize();
      } catch (InvalidPathException e) {
        throw new PlanException(field + ": not a valid path: '" + name + "'");
      }
      String text;
      try {
        if (Files.isDirectory(file)) {
          throw new PlanException(field + ": " + file + " is a folder; name the documents one by one");
        }
        if (Files.size(file) > MAX_CHARS) {
          throw new PlanException(field + ": " + file + " is larger than " + MAX_CHARS + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
        hashes.put(name, Hashes.sha256(bytes));
      } catch (NoSuchFileException e) {
        throw new PlanException(field + ": document not found: " + file);
      } catch (CharacterCodingException e) {
        throw new PlanException(field + ": " + file + " is not UTF-8 text");
      } catch (IOException e) {
        throw new PlanException(field + ": cannot read " + file + ": " + e.getMessage(), e);
      }
      documents.add(new ContextDocument(name, text));
    }
    // A list, not the map: the mapper sorts map keys, and the order agents read them in matters.
    List<List<String>> pairs =
        hashes.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
    return new ContextDocuments(documents, hashes, Hashes.sha256(Json.line(pairs)));
  }
}
