package dev.converge.transforms.agent;

import java.io.Serializable;

/**
 * Where API keys come from: environment variables named in the spec, read on the worker at call
 * time, so a key is never part of the spec, the serialized pipeline, a cache key or a report.
 */
@FunctionalInterface
public interface Secrets extends Serializable {

  /** The value of the variable {@code name}, or null when it is not set. */
  String get(String name);

  /** The process environment. */
  static Secrets environment() {
    return Environment.INSTANCE;
  }

  /** Reads {@link System#getenv(String)}. */
  enum Environment implements Secrets {
    INSTANCE;

    @Override
    public String get(String name) {
      return System.getenv(name);
    }
  }
}
