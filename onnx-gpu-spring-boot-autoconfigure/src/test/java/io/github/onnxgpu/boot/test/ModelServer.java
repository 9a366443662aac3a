package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server for models at {@code http:} locations, such as ones with
 * credentials in them. It ignores the credentials; nothing leaves the machine.
 */
public final class ModelServer implements AutoCloseable {

	private final HttpServer server;

	private final Map<String, byte[]> files = new ConcurrentHashMap<>();

	private final Map<String, Integer> failingReads = new ConcurrentHashMap<>();

	private ModelServer(HttpServer server) {
		this.server = server;
		server.createContext("/", this::handle);
		server.start();
	}

	public static ModelServer start() {
		try {
			return new ModelServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Serve a file.
	 * @param path the path, such as {@code /models/det.onnx}
	 * @param bytes the content
	 * @return this server
	 */
	public ModelServer serve(String path, byte[] bytes) {
		this.files.put(path, bytes);
		return this;
	}

	/**
	 * Answer a path as present to {@code HEAD} but fail to read it.
	 * @param path the path
	 * @param status the status of a {@code GET}
	 * @return this server
	 */
	public ModelServer failReading(String path, int status) {
		this.failingReads.put(path, status);
		return this;
	}

	/**
	 * A URL on this server.
	 * @param userInfo the user info, such as {@code user:secret}, or {@code null}
	 * @param pathAndQuery the path with any query
	 * @return the URL
	 */
	public String url(String userInfo, String pathAndQuery) {
		String credentials = (userInfo != null) ? userInfo + "@" : "";
		return "http://" + credentials + "127.0.0.1:" + this.server.getAddress().getPort() + pathAndQuery;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			boolean head = "HEAD".equals(exchange.getRequestMethod());
			Integer failure = this.failingReads.get(path);
			if (failure != null) {
				exchange.sendResponseHeaders(head ? 200 : failure, -1);
				return;
			}
			byte[] bytes = this.files.get(path);
			if (bytes == null) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
			if (!head) {
				try (OutputStream body = exchange.getResponseBody()) {
					body.write(bytes);
				}
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
