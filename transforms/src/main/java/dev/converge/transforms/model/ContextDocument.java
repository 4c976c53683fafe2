package dev.converge.transforms.model;

import java.io.Serializable;

/**
 * A document every agent of a job is given as context, like the requirements or the technical spec
 * that a spec names in {@code context}.
 *
 * @param name its path relative to the spec, like {@code requirements.md}; used as its file name
 * @param text its content (UTF-8 text)
 */
public record ContextDocument(String name, String text) implements Serializable {
  public ContextDocument {
    name = name == null ? "" : name;
    text = text == null ? "" : text;
  }
}
