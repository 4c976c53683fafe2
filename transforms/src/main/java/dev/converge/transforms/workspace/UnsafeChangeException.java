package dev.converge.transforms.workspace;

import java.io.IOException;

/** An agent left something in its checkout that Converge refuses to read or carry on. */
public final class UnsafeChangeException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsafeChangeException(String message) {
    super(message);
  }
}
