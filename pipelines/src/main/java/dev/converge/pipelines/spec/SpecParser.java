package dev.converge.pipelines.spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads and checks a Converge spec (format v1, see {@code specs/converge.schema.json}).
 *
 * <p>All problems are found in one pass and reported together in a {@link SpecException}, each with
 * its path in the spec and its line and column; no YAML library exception escapes. Parsing checks
 * the shape of every field (unknown keys, with "did you mean"; types; required fields), the
 * single-field rules of {@link SpecFormat} (enumerations, ranges, ids) and the rules across fields
 * of {@link SpecChecks} (unique ids, references to targets and agents, fields that fit only one
 * agent type, fan-out placeholders).
 *
 * <p>Decisions users see:
 *
 * <ul>
 *   <li>String fields (and list items and {@code env} values) also take YAML numbers and booleans,
 *       as the text written: {@code [sleep, 5]} is {@code ["sleep", "5"]} and {@code ref: 0123} is
 *       {@code "0123"}. Number fields never take strings.
 *   <li>A field with an empty value ({@code goal:}) counts as absent; a present string field must
 *       not be blank.
 *   <li>YAML aliases ({@code *name}) are refused with an error; anchors alone are ignored. This
 *       keeps alias bombs harmless and error locations truthful.
 *   <li>Specs are limited to {@value YamlTreeReader#MAX_CHARS} characters and {@value
 *       YamlTreeReader#MAX_DEPTH} levels of nesting, and to one YAML document.
 *   <li>A target without an {@code id} gets the last folder name of its path (or the last part of
 *       its URL), and the parsed {@link TargetSpec} carries it; {@code list} and {@code glob}
 *       targets get their ids when they are resolved. Other defaults are left to the fields'
 *       users.
 * </ul>
 */
public final class SpecParser {
  private SpecParser() {}

  /** Parses the spec in {@code file}, which must be UTF-8 text. */
  public static Spec parse(Path file) throws SpecException {
    return parse(read(file), file.toString());
  }

  /**
   * Parses spec text.
   *
   * @param sourceName names the text in error messages, usually its file name
   */
  public static Spec parse(String yaml, String sourceName) throws SpecException {
    SpecErrors errors = new SpecErrors(sourceName);
    YamlNode.Mapping root = YamlTreeReader.read(yaml, errors);
    Optional<Spec> spec = new RecordBinder(errors).bind(root, Spec.class);
    SpecChecks.check(root, errors);
    if (!errors.isEmpty()) {
      throw errors.toException();
    }
    return withTargetIds(spec.orElseThrow());
  }

  private static String read(Path file) throws SpecException {
    SpecErrors errors = new SpecErrors(file.toString());
    try {
      if (Files.size(file) > YamlTreeReader.MAX_CHARS) {
        throw errors.fatal(
            "",
            Location.UNKNOWN,
            "the file is larger than the limit of " + YamlTreeReader.MAX_CHARS + " bytes");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw errors.fatal("", Location.UNKNOWN, "file not found");
    } catch (CharacterCodingException e) {
      throw errors.fatal("", Location.UNKNOWN, "the file is not UTF-8 text");
    } catch (IOException e) {
      throw errors.fatal("", Location.UNKNOWN, "cannot read the file: " + e);
    }
  }

  private static Spec withTargetIds(Spec spec) {
    List<TargetSpec> targets =
        spec.targets().stream()
            .map(target -> target.id() != null ? target : target.withId(defaultId(target)))
            .toList();
    return new Spec(
        spec.name(),
        spec.kind(),
        spec.goal(),
        targets,
        spec.plan(),
        spec.agents(),
        spec.implement(),
        spec.test(),
        spec.vote(),
        spec.merge(),
        spec.output(),
        spec.context(),
        spec.constraints(),
        spec.drift(),
        spec.rules(),
        spec.reviewers(),
        spec.consensus(),
        spec.verify(),
        spec.chunking(),
        spec.state(),
        spec.budget(),
        spec.prices(),
        spec.cache());
  }

  /** The id of a single-repository target without one; null for {@code list} and {@code glob}. */
  private static String defaultId(TargetSpec target) {
    if (target.path() != null) {
      return SpecFormat.defaultTargetId(target.path()).orElseThrow();
    }
    if (target.url() != null) {
      return SpecFormat.defaultTargetIdOfUrl(target.url()).orElseThrow();
    }
    return null;
  }
}
