package io.github.onnxgpu.boot.internal.startup;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * Downloads an {@code http:} or {@code https:} location to a temporary file of the
 * starter's, bounded by {@link DownloadSettings}: the file streams to disk (a model of
 * gigabytes never passes through the heap) and its SHA-256 is computed on the way. The
 * calling thread waits for the transfer, which runs on the HTTP client's threads, and
 * gives up when connecting takes longer than the connect timeout, the server stays silent
 * longer than the read timeout, the whole download takes longer than its bound, or the
 * JVM begins to shut down ({@link ShutdownWatch}). The temporary file is deleted whenever
 * the download does not succeed. Credentials in the URL's user info are sent as HTTP
 * Basic authentication, as Spring's {@code UrlResource} does.
 *
 * @since 0.1.0
 */
public final class RemoteDownload {

	// how often the waiting thread checks the bounds: their precision
	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private RemoteDownload() {
	}

	/**
	 * Whether a resource is a remote location this class downloads.
	 * @param resource the resource
	 * @return whether its URL is {@code http:} or {@code https:}
	 */
	public static boolean isRemote(@Nullable Resource resource) {
		if (resource == null) {
			return false;
		}
		try {
			String protocol = resource.getURL().getProtocol();
			return "http".equalsIgnoreCase(protocol) || "https".equalsIgnoreCase(protocol);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Download a resource to a new temporary file.
	 * @param resource the remote resource
	 * @param settings the bounds and the folder
	 * @param subject what is downloaded, for the message when shutdown stops it, such as
	 * {@code ONNX model 'detector'}
	 * @param shownLocation the location with credentials masked, for that message
	 * @param prefix the start of the temporary file's name
	 * @return the file, which the caller deletes when done with it
	 * @throws DownloadException when it fails or runs out of time
	 * @throws StartupStoppedException when the JVM began to shut down meanwhile
	 */
	public static DownloadedFile download(Resource resource, DownloadSettings settings, String subject,
			String shownLocation, String prefix) throws DownloadException {
		URI uri;
		try {
			uri = resource.getURI();
		}
		catch (IOException ex) {
			throw new DownloadException("is not a valid URL: " + describe(ex), null, null, false, ex);
		}
		Path file = createFile(settings, prefix);
		boolean downloaded = false;
		try {
			DownloadedFile result = new Transfer(uri, settings, file).run(subject, shownLocation);
			downloaded = true;
			return result;
		}
		finally {
			if (!downloaded) {
				deleteQuietly(file);
			}
		}
	}

	private static Path createFile(DownloadSettings settings, String prefix) throws DownloadException {
		Path directory = (settings.directory() != null) ? settings.directory()
				: Path.of(System.getProperty("java.io.tmpdir"));
		try {
			Files.createDirectories(directory);
			// owner-only permissions on POSIX: a model can be someone's property
			Path file = Files.createTempFile(directory, prefix, ".download");
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException | RuntimeException ex) {
			throw writeFailure(directory, ex);
		}
	}

	private static DownloadException writeFailure(Path directory, Exception ex) {
		return new DownloadException("cannot be written to " + directory + " (" + describe(ex) + ")",
				DownloadSettings.PREFIX + "directory", "make room in that folder, or set " + DownloadSettings.PREFIX
						+ "directory to a writable folder with room for the file",
				false, ex);
	}

	static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// still open elsewhere (Windows): deleteOnExit removes it later
		}
	}

	static String describe(Throwable ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (text.length() > 0) {
				text.append(": ");
			}
			text.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				text.append(" ").append(cause.getMessage());
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return text.toString();
	}

	/**
	 * A duration as people write it, such as {@code 30s} or {@code 10m}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		if (duration.toMillis() % 1000 != 0) {
			return duration.toMillis() + "ms";
		}
		long seconds = duration.toSeconds();
		if (seconds >= 3600 && seconds % 3600 == 0) {
			return (seconds / 3600) + "h";
		}
		if (seconds >= 60 && seconds % 60 == 0) {
			return (seconds / 60) + "m";
		}
		return seconds + "s";
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One download: the request on the HTTP client's threads, the bounds checked by the
	 * waiting thread.
	 */
	private static final class Transfer {

		private final URI uri;

		private final DownloadSettings settings;

		private final Path file;

		private final MessageDigest digest = sha256();

		private volatile long lastActivity;

		private volatile long bytes;

		private volatile long expected = -1;

		private volatile boolean answered;

		private volatile @Nullable FileWriter writer;

		Transfer(URI uri, DownloadSettings settings, Path file) {
			this.uri = uri;
			this.settings = settings;
			this.file = file;
		}

		DownloadedFile run(String subject, String shownLocation) throws DownloadException {
			HttpClient.Builder builder = HttpClient.newBuilder()
				.connectTimeout(this.settings.connectTimeout())
				.followRedirects(HttpClient.Redirect.NORMAL)
				.version(HttpClient.Version.HTTP_1_1);
			ProxySelector proxies = ProxySelector.getDefault();
			if (proxies != null) {
				builder.proxy(proxies);
			}
			HttpRequest request = request();
			long start = System.nanoTime();
			this.lastActivity = start;
			CompletableFuture<HttpResponse<@Nullable Path>> response = builder.build()
				.sendAsync(request, this::subscriber);
			try (ShutdownWatch.Registration watch = ShutdownWatch.register(() -> response.cancel(true))) {
				return await(response, start, subject, shownLocation);
			}
			finally {
				FileWriter writer = this.writer;
				if (writer != null) {
					writer.closeQuietly();
				}
			}
		}

		private HttpRequest request() throws DownloadException {
			try {
				HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(this.uri)).GET();
				String userInfo = this.uri.getUserInfo();
				if (userInfo != null) {
					request.header("Authorization",
							"Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
				}
				return request.build();
			}
			catch (URISyntaxException | IllegalArgumentException ex) {
				throw new DownloadException("is not a valid URL: " + describe(ex), null, null, false, ex);
			}
		}

		private static URI withoutUserInfo(URI uri) throws URISyntaxException {
			String authority = uri.getRawAuthority();
			if (uri.getRawUserInfo() == null || authority == null) {
				return uri;
			}
			String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
			String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
			String query = (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "";
			return new URI(uri.getScheme() + "://" + hostAndPort + path + query);
		}

		private BodySubscriber<@Nullable Path> subscriber(HttpResponse.ResponseInfo info) {
			this.answered = true;
			this.lastActivity = System.nanoTime();
			if (info.statusCode() / 100 != 2) {
				return BodySubscribers.replacing(null);
			}
			this.expected = info.headers().firstValueAsLong("Content-Length").orElse(-1);
			FileWriter writer = new FileWriter();
			this.writer = writer;
			return writer;
		}

		private DownloadedFile await(CompletableFuture<HttpResponse<@Nullable Path>> response, long start,
				String subject, String shownLocation) throws DownloadException {
			long deadline = start + this.settings.timeout().toNanos();
			while (true) {
				try {
					return finished(response.get(POLL_NANOS, TimeUnit.NANOSECONDS));
				}
				catch (TimeoutException ex) {
					long now = System.nanoTime();
					if (ShutdownWatch.isShuttingDown()) {
						response.cancel(true);
						throw stopped(subject, shownLocation);
					}
					if (now - deadline > 0) {
						response.cancel(true);
						throw new DownloadException(
								"was not downloaded within " + format(this.settings.timeout()) + " (" + received()
										+ ")",
								DownloadSettings.PREFIX + "timeout",
								"raise " + DownloadSettings.PREFIX + "timeout for a large file or a slow link, or "
										+ "check the server, which sends too slowly",
								false, null);
					}
					if (now - this.lastActivity > this.settings.readTimeout().toNanos()) {
						response.cancel(true);
						String silence = this.answered ? "got no data from the server for "
								: "got no answer from the server within ";
						throw new DownloadException(
								silence + format(this.settings.readTimeout()) + " (" + received() + ")",
								DownloadSettings.PREFIX + "read-timeout", "check that the server answers; raise "
										+ DownloadSettings.PREFIX + "read-timeout if it is slow to start sending",
								false, null);
					}
				}
				catch (CancellationException ex) {
					if (ShutdownWatch.isShuttingDown()) {
						throw stopped(subject, shownLocation);
					}
					throw new DownloadException("was cancelled", null, null, false, ex);
				}
				catch (ExecutionException ex) {
					if (ShutdownWatch.isShuttingDown()) {
						throw stopped(subject, shownLocation);
					}
					throw failed((ex.getCause() != null) ? ex.getCause() : ex);
				}
				catch (InterruptedException ex) {
					response.cancel(true);
					Thread.currentThread().interrupt();
					if (ShutdownWatch.isShuttingDown()) {
						throw stopped(subject, shownLocation);
					}
					throw new DownloadException("was interrupted", null, null, false, ex);
				}
			}
		}

		// the temporary file goes first: the JVM may end while this thread waits
		private StartupStoppedException stopped(String subject, String shownLocation) {
			FileWriter writer = this.writer;
			if (writer != null) {
				writer.closeQuietly();
			}
			deleteQuietly(this.file);
			return ShutdownWatch.stop(subject + ": start-up stopped by shutdown while downloading " + shownLocation
					+ " (" + received() + ")");
		}

		private String received() {
			long expected = this.expected;
			return this.bytes + ((expected >= 0) ? " of " + expected : "") + " bytes received";
		}

		private DownloadedFile finished(HttpResponse<@Nullable Path> response) throws DownloadException {
			int status = response.statusCode();
			if (status == 404 || status == 410) {
				throw new DownloadException("does not exist (HTTP " + status + ")", null, null, true, null);
			}
			if (status / 100 != 2 || response.body() == null) {
				throw new DownloadException("cannot be downloaded: the server answered HTTP " + status, null,
						"check the URL and that its credentials (if any) grant access", false, null);
			}
			return new DownloadedFile(this.file, this.bytes, HexFormat.of().formatHex(this.digest.digest()));
		}

		private DownloadException failed(Throwable cause) {
			FileWriter writer = this.writer;
			if (writer != null && writer.failure != null) {
				return writeFailure(this.file.getParent(), writer.failure);
			}
			if (cause instanceof HttpConnectTimeoutException) {
				return new DownloadException(
						"could not be reached: no connection within " + format(this.settings.connectTimeout()),
						DownloadSettings.PREFIX + "connect-timeout",
						"check the host and port and that this host may connect to it; raise " + DownloadSettings.PREFIX
								+ "connect-timeout only for a slow network",
						false, cause);
			}
			return new DownloadException("cannot be downloaded (" + describe(cause) + ", " + received() + ")", null,
					"check the URL and that the server is up and reachable from this host", false, cause);
		}

		/**
		 * Writes the body to the temporary file as it arrives, one part at a time, and
		 * digests it on the way.
		 */
		private final class FileWriter implements BodySubscriber<@Nullable Path> {

			private final CompletableFuture<@Nullable Path> body = new CompletableFuture<>();

			private volatile @Nullable FileChannel channel;

			private volatile Flow.@Nullable Subscription subscription;

			private volatile @Nullable IOException failure;

			@Override
			public CompletionStage<@Nullable Path> getBody() {
				return this.body;
			}

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				this.subscription = subscription;
				try {
					this.channel = FileChannel.open(Transfer.this.file, StandardOpenOption.WRITE,
							StandardOpenOption.TRUNCATE_EXISTING);
				}
				catch (IOException ex) {
					fail(ex);
					return;
				}
				subscription.request(1);
			}

			@Override
			public void onNext(List<ByteBuffer> items) {
				FileChannel channel = this.channel;
				Flow.Subscription subscription = this.subscription;
				if (channel == null || subscription == null) {
					return;
				}
				try {
					for (ByteBuffer item : items) {
						Transfer.this.digest.update(item.duplicate());
						int size = item.remaining();
						while (item.hasRemaining()) {
							channel.write(item);
						}
						Transfer.this.bytes += size;
					}
					Transfer.this.lastActivity = System.nanoTime();
					subscription.request(1);
				}
				catch (IOException ex) {
					fail(ex);
				}
			}

			@Override
			public void onError(Throwable throwable) {
				closeQuietly();
				this.body.completeExceptionally(throwable);
			}

			@Override
			public void onComplete() {
				FileChannel channel = this.channel;
				try {
					if (channel != null) {
						channel.close();
					}
					this.body.complete(Transfer.this.file);
				}
				catch (IOException ex) {
					fail(ex);
				}
			}

			private void fail(IOException ex) {
				this.failure = ex;
				Flow.Subscription subscription = this.subscription;
				if (subscription != null) {
					subscription.cancel();
				}
				closeQuietly();
				this.body.completeExceptionally(ex);
			}

			void closeQuietly() {
				FileChannel channel = this.channel;
				if (channel != null) {
					try {
						channel.close();
					}
					catch (IOException ex) {
						// the download failed already
					}
				}
			}

		}

	}

}
