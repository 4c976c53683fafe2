package dev.converge.pipelines.spec;

/** Builds the paths that name a place in a spec, like {@code plan.tasks[0].id}. */
final class FieldPath {
  private FieldPath() {}

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
