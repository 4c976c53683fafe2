package dev.converge.transforms.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Encodes the model records as JSON. The same JSON is what {@code results.jsonl} holds, so a record
 * that round-trips through the pipeline also round-trips through the output files.
 */
public final class JsonCoder<T> extends CustomCoder<T> {
  private static final ObjectMapper MAPPER = Json.MAPPER;
  private final Class<T> type;

  private JsonCoder(Class<T> type) {
    this.type = type;
  }

  public static <T> JsonCoder<T> of(Class<T> type) {
    return new JsonCoder<>(Objects.requireNonNull(type, "type"));
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(MAPPER.writeValueAsString(value), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    String json = StringUtf8Coder.of().decode(in);
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new CoderException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void verifyDeterministic() {
    // Records serialize their components in declaration order, and the model has no maps.
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonCoder<?> that && that.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

}
