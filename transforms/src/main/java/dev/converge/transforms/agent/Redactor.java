package dev.converge.transforms.agent;

import java.util.regex.Pattern;

/**
 * Removes secrets from text that goes into reasons, logs and files: the key values themselves and
 * anything shaped like a provider key (providers echo a masked key in some error messages).
 */
public final class Redactor {
  private static final Pattern KEY_SHAPED =
      Pattern.compile(
          "\\bsk-[A-Za-z0-9_*\\-]{6,}|\\bBearer\\s+[A-Za-z0-9_\\-]{8,}(?:\\.[A-Za-z0-9_\\-]+)*");

  private Redactor() {}

  public static String redact(String text, String... secrets) {
    if (text == null) {
      return "";
    }
    String cleaned = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        cleaned = cleaned.replace(secret, "[redacted]");
      }
    }
    return KEY_SHAPED.matcher(cleaned).replaceAll("[redacted]");
  }
}
