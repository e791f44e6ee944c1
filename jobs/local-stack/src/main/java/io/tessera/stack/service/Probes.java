package io.tessera.stack.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.tessera.stack.StackSettings;

/**
 * Readiness probes that speak each server's own protocol, with the JDK only: the local stack carries no
 * client library, so that every layer can bring the client version it needs.
 */
final class Probes {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private Probes() {
    }

    /** Kafka: an ApiVersions request (key 18, v0) answered with our correlation id. */
    static boolean kafkaAnswers(int port) {
        try (Socket socket = connect(port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10);          // size of what follows
            out.writeShort(18);        // ApiVersions
            out.writeShort(0);         // version 0: every broker understands it
            out.writeInt(4242);        // correlation id
            out.writeShort(-1);        // null client id
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            return size >= 4 && in.readInt() == 4242;
        } catch (IOException e) {
            return false;
        }
    }

    /** Cassandra: a native-protocol v4 OPTIONS frame answered by SUPPORTED (opcode 0x06). */
    static boolean cqlAnswers(int port) {
        try (Socket socket = connect(port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeByte(0x04);       // request, protocol v4
            out.writeByte(0);          // flags
            out.writeShort(1);         // stream id
            out.writeByte(0x05);       // OPTIONS
            out.writeInt(0);           // empty body
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            in.readFully(header);
            return header[0] == (byte) 0x84 && header[4] == 0x06;
        } catch (IOException e) {
            return false;
        }
    }

    /** The body of a successful GET, or null when the server does not answer 200. */
    static String httpGet(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static HttpClient http() {
        return HTTP;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(StackSettings.BIND_HOST, port), (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }
}
