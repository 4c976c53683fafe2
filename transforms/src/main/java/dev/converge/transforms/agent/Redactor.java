package dev.converge.transforms.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that goes into reasons, logs and files: the key values themselves and
 * anything shaped like a provider key (providers echo a masked key in some error messages).
 *
 * <p>Key values are known in two ways: passed to {@link #redact(String, String...)}, or {@link
 * #remember remembered} by the JVM that read them (the API agents' keys, and the values of the
 * variables a spec grants a command agent whose names say they hold a secret), so that every later
 * redaction in that JVM removes them too, wherever the text came from.
 */
public final class Redactor {
  private static final Pattern KEY_SHAPED =
      Pattern.compile(
          "\\bsk-[A-Za-z0-9_*\\-]{6,}"
              + "|\\bBearer\\s+[A-Za-z0-9_\\-]{8,}(?:\\.[A-Za-z0-9_\\-]+)*"
              + "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"
              + "|\\bgh[pousr]_[A-Za-z0-9]{20,}"
              + "|\\bgithub_pat_[A-Za-z0-9_]{20,}"
              + "|\\bxox[abprs]-[A-Za-z0-9\\-]{10,}"
              + "|\\bAIza[0-9A-Za-z_\\-]{35}");

  /** Variable names whose values are treated as secrets when a spec grants them to an agent. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL).*");

  /** Values shorter than this are not remembered: they would redact ordinary words. */
  private static final int MIN_REMEMBERED_CHARS = 8;

  private static final Set<String> REMEMBERED = ConcurrentHashMap.newKeySet();

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
    for (String secret : REMEMBERED) {
      cleaned = cleaned.replace(secret, "[redacted]");
    }
    return KEY_SHAPED.matcher(cleaned).replaceAll("[redacted]");
  }

  /** Removes {@code secret} from every later redaction in this JVM. */
  public static void remember(String secret) {
    if (secret != null && secret.length() >= MIN_REMEMBERED_CHARS) {
      REMEMBERED.add(secret);
    }
  }

  /** Whether a variable named {@code name} holds a secret, by its name. */
  public static boolean namesASecret(String name) {
    return SECRET_NAME.matcher(name).matches();
  }
}
