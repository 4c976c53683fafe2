package dev.converge.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A small in-memory stand-in for Google Cloud Storage on 127.0.0.1, serving the subset of the JSON
 * API that Beam's GCS file system (GcsUtil and the gcsio connector) uses: object get, media
 * download (with ranges), list, delete, rewrite/copy, resumable, multipart and simple uploads, and
 * the batch endpoint ({@code multipart/mixed}) that GcsUtil uses for gets, copies and deletes. No
 * emulator can be installed here, so the tests bring their own.
 *
 * <p>Every bucket exists. Objects live in memory; {@link #objects()} and {@link #read} let a test
 * look at what a job wrote. Generations increase on every write, and {@code ifGenerationMatch}
 * preconditions are honoured, as the real service does.
 */
final class FakeGcsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OBJECT =
      Pattern.compile("^/(?:download/)?storage/v1/b/([^/]+)/o/([^/]+)$");
  private static final Pattern OBJECTS = Pattern.compile("^/storage/v1/b/([^/]+)/o/?$");
  private static final Pattern BUCKET = Pattern.compile("^/storage/v1/b/([^/]+)/?$");
  private static final Pattern UPLOAD = Pattern.compile("^/upload/storage/v1/b/([^/]+)/o/?$");
  private static final Pattern COPY =
      Pattern.compile("^/storage/v1/b/([^/]+)/o/([^/]+)/(rewriteTo|copyTo)/b/([^/]+)/o/([^/]+)$");

  private record StoredObject(byte[] data, String contentType, long generation, Instant updated) {}

  private record Upload(String bucket, String name, String contentType, ByteArrayOutputStream data) {}

  /** One HTTP request or response, as the batch endpoint carries them. */
  private record Call(String method, String target, Map<String, String> headers, byte[] body) {}

  private record Reply(int status, Map<String, String> headers, byte[] body) {
    static Reply json(int status, JsonNode body) {
      return new Reply(
          status,
          Map.of("Content-Type", "application/json; charset=UTF-8"),
          body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Reply error(int status, String message) {
      ObjectNode error = JSON.createObjectNode();
      error.putObject("error").put("code", status).put("message", message);
      return json(status, error);
    }
  }

  private final HttpServer server;
  private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_000);
  private final List<String> requestLog = Collections.synchronizedList(new ArrayList<>());

  private FakeGcsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static FakeGcsServer start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeGcsServer fake = new FakeGcsServer(http);
    http.createContext("/", fake::handle);
    http.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread thread = new Thread(r, "fake-gcs");
      thread.setDaemon(true);
      return thread;
    }));
    http.start();
    return fake;
  }

  /** The value for {@code --gcs-endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/storage/v1/";
  }

  void put(String gsPath, String content) {
    String[] parts = split(gsPath);
    store(parts[0], parts[1], content.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  Optional<String> read(String gsPath) {
    String[] parts = split(gsPath);
    StoredObject object = objects.get(key(parts[0], parts[1]));
    return object == null
        ? Optional.empty()
        : Optional.of(new String(object.data(), StandardCharsets.UTF_8));
  }

  /** Every object, as {@code gs://bucket/name}, sorted. */
  List<String> objects() {
    return objects.keySet().stream().map(k -> "gs://" + k).sorted().toList();
  }

  /** Method and path of every request served so far (batch parts included). */
  List<String> requests() {
    synchronized (requestLog) {
      return List.copyOf(requestLog);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static String[] split(String gsPath) {
    if (!gsPath.startsWith("gs://") || gsPath.indexOf('/', 5) < 0) {
      throw new IllegalArgumentException("not gs://bucket/object: " + gsPath);
    }
    int slash = gsPath.indexOf('/', 5);
    return new String[] {gsPath.substring(5, slash), gsPath.substring(slash + 1)};
  }

  private static String key(String bucket, String name) {
    return bucket + "/" + name;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      byte[] body = exchange.getRequestBody().readAllBytes();
      Call call =
          new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
              + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
              headers, body);
      Reply reply;
      try {
        reply = dispatch(call);
      } catch (RuntimeException e) {
        reply = Reply.error(500, e.toString());
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      boolean noBody = reply.body().length == 0 || call.method().equals("HEAD");
      exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  private Reply dispatch(Call call) throws IOException {
    URI uri = URI.create(call.target());
    String path = uri.getRawPath();
    Map<String, String> query = query(uri.getRawQuery());
    requestLog.add(call.method() + " " + path + (query.containsKey("uploadType") ? "?uploadType=" + query.get("uploadType") : ""));
    if (path.equals("/batch/storage/v1") && call.method().equals("POST")) {
      return batch(call);
    }
    Matcher m;
    if ((m = UPLOAD.matcher(path)).matches()) {
      return upload(call, decode(m.group(1)), query);
    }
    if ((m = COPY.matcher(path)).matches() && call.method().equals("POST")) {
      return copy(decode(m.group(1)), decode(m.group(2)), m.group(3), decode(m.group(4)), decode(m.group(5)), query);
    }
    if ((m = OBJECT.matcher(path)).matches()) {
      String bucket = decode(m.group(1));
      String name = decode(m.group(2));
      return switch (call.method()) {
        case "GET" -> "media".equals(query.get("alt")) || path.startsWith("/download/")
            ? media(bucket, name, call.headers().get("range"), query)
            : metadataReply(bucket, name, query);
        case "DELETE" -> delete(bucket, name, query);
        default -> Reply.error(405, call.method() + " " + path);
      };
    }
    if ((m = OBJECTS.matcher(path)).matches() && call.method().equals("GET")) {
      return list(decode(m.group(1)), query);
    }
    if ((m = BUCKET.matcher(path)).matches() && call.method().equals("GET")) {
      ObjectNode bucket = JSON.createObjectNode();
      bucket.put("kind", "storage#bucket").put("id", decode(m.group(1))).put("name", decode(m.group(1)));
      bucket.put("location", "US").put("storageClass", "STANDARD").put("projectNumber", "1");
      return Reply.json(200, bucket);
    }
    return Reply.error(404, "no route for " + call.method() + " " + path);
  }

  // ---- objects

  private StoredObject store(String bucket, String name, byte[] data, String contentType) {
    StoredObject object =
        new StoredObject(
            data,
            contentType == null ? "application/octet-stream" : contentType,
            generations.incrementAndGet(),
            Instant.now());
    objects.put(key(bucket, name), object);
    return object;
  }

  private Optional<Reply> precondition(String bucket, String name, Map<String, String> query) {
    String match = query.get("ifGenerationMatch");
    if (match == null) {
      return Optional.empty();
    }
    StoredObject current = objects.get(key(bucket, name));
    long actual = current == null ? 0 : current.generation();
    return actual == Long.parseLong(match)
        ? Optional.empty()
        : Optional.of(Reply.error(412, "Precondition Failed"));
  }

  private ObjectNode metadata(String bucket, String name, StoredObject object) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", "storage#object");
    node.put("id", bucket + "/" + name + "/" + object.generation());
    node.put("selfLink", "http://fake-gcs/storage/v1/b/" + bucket + "/o/" + name);
    node.put("name", name);
    node.put("bucket", bucket);
    node.put("generation", Long.toString(object.generation()));
    node.put("metageneration", "1");
    node.put("contentType", object.contentType());
    node.put("storageClass", "STANDARD");
    node.put("size", Long.toString(object.data().length));
    node.put("md5Hash", md5(object.data()));
    node.put("crc32c", crc32c(object.data()));
    node.put("etag", "e" + object.generation());
    node.put("timeCreated", object.updated().toString());
    node.put("updated", object.updated().toString());
    return node;
  }

  private Reply metadataReply(String bucket, String name, Map<String, String> query) {
    StoredObject object = objects.get(key(bucket, name));
    if (object == null) {
      return Reply.error(404, "No such object: " + bucket + "/" + name);
    }
    return Reply.json(200, metadata(bucket, name, object));
  }

  private Reply media(String bucket, String name, String range, Map<String, String> query) {
    StoredObject object = objects.get(key(bucket, name));
    if (object == null) {
      return Reply.error(404, "No such object: " + bucket + "/" + name);
    }
    byte[] data = object.data();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", object.contentType());
    headers.put("x-goog-generation", Long.toString(object.generation()));
    headers.put("x-goog-stored-content-length", Long.toString(data.length));
    headers.put("x-goog-hash", "crc32c=" + crc32c(data) + ",md5=" + md5(data));
    if (range != null && range.startsWith("bytes=")) {
      String[] bounds = range.substring(6).split("-", -1);
      long start = bounds[0].isEmpty() ? Math.max(0, data.length - Long.parseLong(bounds[1])) : Long.parseLong(bounds[0]);
      long end = bounds[0].isEmpty() || bounds[1].isEmpty() ? data.length - 1 : Math.min(Long.parseLong(bounds[1]), data.length - 1);
      if (start >= data.length) {
        if (data.length == 0) {
          return new Reply(200, headers, new byte[0]);
        }
        headers.put("Content-Range", "bytes */" + data.length);
        return new Reply(416, headers, new byte[0]);
      }
      byte[] slice = java.util.Arrays.copyOfRange(data, (int) start, (int) end + 1);
      headers.put("Content-Range", "bytes " + start + "-" + end + "/" + data.length);
      return new Reply(206, headers, slice);
    }
    return new Reply(200, headers, data);
  }

  private Reply delete(String bucket, String name, Map<String, String> query) {
    Optional<Reply> failed = precondition(bucket, name, query);
    if (failed.isPresent()) {
      return failed.get();
    }
    return objects.remove(key(bucket, name)) == null
        ? Reply.error(404, "No such object: " + bucket + "/" + name)
        : new Reply(204, Map.of(), new byte[0]);
  }

  private Reply copy(
      String srcBucket, String srcName, String kind, String dstBucket, String dstName, Map<String, String> query) {
    StoredObject source = objects.get(key(srcBucket, srcName));
    if (source == null) {
      return Reply.error(404, "No such object: " + srcBucket + "/" + srcName);
    }
    Optional<Reply> failed = precondition(dstBucket, dstName, query);
    if (failed.isPresent()) {
      return failed.get();
    }
    StoredObject copied = store(dstBucket, dstName, source.data(), source.contentType());
    ObjectNode resource = metadata(dstBucket, dstName, copied);
    if (kind.equals("copyTo")) {
      return Reply.json(200, resource);
    }
    ObjectNode rewrite = JSON.createObjectNode();
    rewrite.put("kind", "storage#rewriteResponse");
    rewrite.put("totalBytesRewritten", Long.toString(source.data().length));
    rewrite.put("objectSize", Long.toString(source.data().length));
    rewrite.put("done", true);
    rewrite.set("resource", resource);
    return Reply.json(200, rewrite);
  }

  private Reply list(String bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.get("delimiter");
    int max = Integer.parseInt(query.getOrDefault("maxResults", "1000"));
    String after = query.get("pageToken");
    NavigableMap<String, StoredObject> sorted = new TreeMap<>();
    objects.forEach((k, v) -> {
      if (k.startsWith(bucket + "/")) {
        String name = k.substring(bucket.length() + 1);
        if (name.startsWith(prefix)) {
          sorted.put(name, v);
        }
      }
    });
    ObjectNode reply = JSON.createObjectNode();
    reply.put("kind", "storage#objects");
    ArrayNode items = reply.putArray("items");
    List<String> prefixes = new ArrayList<>();
    int count = 0;
    for (Map.Entry<String, StoredObject> entry :
        (after == null ? sorted : sorted.tailMap(after, false)).entrySet()) {
      String name = entry.getKey();
      if (delimiter != null) {
        int cut = name.indexOf(delimiter, prefix.length());
        if (cut >= 0) {
          String sub = name.substring(0, cut + delimiter.length());
          if (!prefixes.contains(sub)) {
            prefixes.add(sub);
          }
          continue;
        }
      }
      if (count == max) {
        reply.put("nextPageToken", items.get(items.size() - 1).get("name").asText());
        break;
      }
      items.add(metadata(bucket, name, entry.getValue()));
      count++;
    }
    if (!prefixes.isEmpty()) {
      ArrayNode array = reply.putArray("prefixes");
      prefixes.forEach(array::add);
    }
    return Reply.json(200, reply);
  }

  // ---- uploads

  private Reply upload(Call call, String bucket, Map<String, String> query) throws IOException {
    String type = query.getOrDefault("uploadType", "media");
    String uploadId = query.get("upload_id");
    if (type.equals("resumable") && uploadId != null) {
      return resumeUpload(call, uploadId, query);
    }
    switch (type) {
      case "resumable" -> {
        JsonNode meta = call.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(call.body());
        String name = query.containsKey("name") ? query.get("name") : meta.path("name").asText(null);
        if (name == null) {
          return Reply.error(400, "resumable upload without an object name");
        }
        Optional<Reply> failed = precondition(bucket, name, query);
        if (failed.isPresent()) {
          return failed.get();
        }
        String id = UUID.randomUUID().toString();
        String contentType = call.headers().getOrDefault("x-upload-content-type", meta.path("contentType").asText(null));
        uploads.put(id, new Upload(bucket, name, contentType, new ByteArrayOutputStream()));
        String location =
            "http://127.0.0.1:" + server.getAddress().getPort() + "/upload/storage/v1/b/" + bucket
                + "/o?uploadType=resumable&upload_id=" + id;
        return new Reply(200, Map.of("Location", location), new byte[0]);
      }
      case "multipart" -> {
        List<byte[]> parts = multipartBodies(call.headers().get("content-type"), call.body());
        JsonNode meta = JSON.readTree(parts.get(0));
        String name = query.containsKey("name") ? query.get("name") : meta.path("name").asText();
        Optional<Reply> failed = precondition(bucket, name, query);
        if (failed.isPresent()) {
          return failed.get();
        }
        StoredObject object = store(bucket, name, parts.get(1), meta.path("contentType").asText(null));
        return Reply.json(200, metadata(bucket, name, object));
      }
      default -> {
        String name = query.get("name");
        Optional<Reply> failed = precondition(bucket, name, query);
        if (failed.isPresent()) {
          return failed.get();
        }
        StoredObject object = store(bucket, name, call.body(), call.headers().get("content-type"));
        return Reply.json(200, metadata(bucket, name, object));
      }
    }
  }

  private Reply resumeUpload(Call call, String uploadId, Map<String, String> query) {
    Upload upload = uploads.get(uploadId);
    if (upload == null) {
      return Reply.error(404, "no upload " + uploadId);
    }
    if (call.method().equals("DELETE")) {
      uploads.remove(uploadId);
      return new Reply(499, Map.of(), new byte[0]);
    }
    String range = call.headers().get("content-range");
    long total = -1;
    synchronized (upload) {
      if (range != null) {
        // "bytes 0-99/*", "bytes 100-199/200", "bytes */200" or "bytes */*"
        String spec = range.replaceFirst("^bytes ", "");
        String[] halves = spec.split("/");
        total = halves.length > 1 && !halves[1].equals("*") ? Long.parseLong(halves[1]) : -1;
        if (!halves[0].equals("*")) {
          long start = Long.parseLong(halves[0].split("-")[0]);
          if (start != upload.data().size()) {
            // A retried chunk: keep what was received up to its start.
            byte[] kept = java.util.Arrays.copyOf(upload.data().toByteArray(), (int) start);
            upload.data().reset();
            upload.data().write(kept, 0, kept.length);
          }
        }
      } else {
        total = upload.data().size() + call.body().length;
      }
      upload.data().write(call.body(), 0, call.body().length);
      long received = upload.data().size();
      if (total >= 0 && received >= total) {
        uploads.remove(uploadId);
        StoredObject object =
            store(upload.bucket(), upload.name(), upload.data().toByteArray(), upload.contentType());
        return Reply.json(200, metadata(upload.bucket(), upload.name(), object));
      }
      Map<String, String> headers = new LinkedHashMap<>();
      if (received > 0) {
        headers.put("Range", "bytes=0-" + (received - 1));
      }
      return new Reply(308, headers, new byte[0]);
    }
  }

  // ---- batch

  private Reply batch(Call call) throws IOException {
    String boundary = boundaryOf(call.headers().get("content-type"));
    List<byte[]> parts = multipartBodies(call.headers().get("content-type"), call.body());
    List<String> partIds = multipartContentIds(call.body(), boundary);
    String replyBoundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      Call inner = parseHttp(parts.get(i));
      Reply reply;
      try {
        reply = dispatch(inner);
      } catch (RuntimeException e) {
        reply = Reply.error(500, e.toString());
      }
      StringBuilder head = new StringBuilder();
      head.append("--").append(replyBoundary).append("\r\n");
      head.append("Content-Type: application/http\r\n");
      String id = i < partIds.size() ? partIds.get(i) : null;
      if (id != null) {
        head.append("Content-ID: <response-").append(id.replaceAll("^<|>$", "")).append(">\r\n");
      }
      head.append("\r\n");
      head.append("HTTP/1.1 ").append(reply.status()).append(' ').append(reason(reply.status())).append("\r\n");
      reply.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(reply.body().length).append("\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(reply.body());
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + replyBoundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Reply(200, Map.of("Content-Type", "multipart/mixed; boundary=" + replyBoundary), out.toByteArray());
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 404 -> "Not Found";
      case 412 -> "Precondition Failed";
      default -> "Status";
    };
  }

  private static Call parseHttp(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    String head = headEnd < 0 ? text : text.substring(0, headEnd);
    byte[] body = headEnd < 0 ? new byte[0] : java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    String target = requestLine[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
      URI uri = URI.create(target);
      target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
    return new Call(requestLine[0], target, headers, body);
  }

  // ---- multipart helpers

  private static String boundaryOf(String contentType) {
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
    if (!m.find()) {
      throw new IllegalArgumentException("no multipart boundary in " + contentType);
    }
    return m.group(1);
  }

  /** The bodies (after each part's headers) of a multipart message. */
  private static List<byte[]> multipartBodies(String contentType, byte[] body) {
    String boundary = boundaryOf(contentType);
    List<byte[]> bodies = new ArrayList<>();
    for (byte[] part : multipartParts(body, boundary)) {
      int split = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
      bodies.add(split < 0 ? part : java.util.Arrays.copyOfRange(part, split + 4, part.length));
    }
    return bodies;
  }

  private static List<String> multipartContentIds(byte[] body, String boundary) {
    List<String> ids = new ArrayList<>();
    for (byte[] part : multipartParts(body, boundary)) {
      String text = new String(part, StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      String id = null;
      for (String line : (split < 0 ? text : text.substring(0, split)).split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-id:")) {
          id = line.substring("content-id:".length()).trim();
        }
      }
      ids.add(id);
    }
    return ids;
  }

  /** Each part (headers and body) between the boundaries, without the CRLF before a boundary. */
  private static List<byte[]> multipartParts(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      // skip the CRLF after the boundary line
      while (start < body.length && (body[start] == '\r' || body[start] == '\n')) {
        start++;
      }
      int next = indexOf(body, delimiter, start);
      int end = next < 0 ? body.length : next;
      if (end >= 2 && body[end - 1] == '\n') {
        end--;
        if (body[end - 1] == '\r') {
          end--;
        }
      }
      parts.add(java.util.Arrays.copyOfRange(body, start, Math.max(start, end)));
      at = next;
    }
    return parts;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---- small helpers

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.put(k, v);
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @SuppressWarnings("unused")
  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
