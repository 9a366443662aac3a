package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server that misbehaves as remote servers do: it accepts connections and
 * never answers, or announces a body and then stops sending it, or sends it a byte at a
 * time. Nothing leaves the machine.
 */
public final class StallingServer implements AutoCloseable {

	private final ServerSocket server;

	private final int announced;

	private final int sent;

	private final long tricklePauseMillis;

	private final List<Socket> connections = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile boolean closed;

	private StallingServer(int announced, int sent, long tricklePauseMillis) {
		this.announced = announced;
		this.sent = sent;
		this.tricklePauseMillis = tricklePauseMillis;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "stalling-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * A server that accepts connections and never sends a byte.
	 * @return the server
	 */
	public static StallingServer silent() {
		return new StallingServer(-1, 0, 0);
	}

	/**
	 * A server that answers 200 with a body of the announced size, sends the first bytes
	 * of it and then nothing more.
	 * @param announced the Content-Length
	 * @param sent how many bytes it sends
	 * @return the server
	 */
	public static StallingServer stopsAfter(int announced, int sent) {
		return new StallingServer(announced, sent, 0);
	}

	/**
	 * A server that answers 200 and sends its body one byte at a time, pausing between
	 * bytes: never silent for long, never done.
	 * @param announced the Content-Length
	 * @param pauseMillis the pause between two bytes
	 * @return the server
	 */
	public static StallingServer trickles(int announced, long pauseMillis) {
		return new StallingServer(announced, announced, pauseMillis);
	}

	/**
	 * A URL on this server.
	 * @param path the path
	 * @return the URL
	 */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getLocalPort() + path;
	}

	/**
	 * How many connections it accepted.
	 * @return the count
	 */
	public int accepted() {
		return this.accepted.get();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket socket = this.server.accept();
				this.connections.add(socket);
				this.accepted.incrementAndGet();
				if (this.announced >= 0) {
					Thread answer = new Thread(() -> answer(socket), "stalling-answer");
					answer.setDaemon(true);
					answer.start();
				}
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void answer(Socket socket) {
		try {
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + this.announced
					+ "\r\nContent-Type: application/octet-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			for (int i = 0; i < this.sent && !this.closed; i++) {
				out.write('x');
				out.flush();
				if (this.tricklePauseMillis > 0) {
					Thread.sleep(this.tricklePauseMillis);
				}
			}
		}
		catch (IOException ex) {
			// the client gave up
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Socket socket : this.connections) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

}
