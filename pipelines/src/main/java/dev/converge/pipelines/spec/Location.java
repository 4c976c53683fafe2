package dev.converge.pipelines.spec;

/** A 1-based line and column in the spec's YAML text; {@link #UNKNOWN} is 0, 0. */
record Location(int line, int column) {
  static final Location UNKNOWN = new Location(0, 0);
}
