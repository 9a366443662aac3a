package io.github.onnxgpu.boot.internal.warmup.request;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.session.LocationMasking;
import io.github.onnxgpu.boot.internal.startup.DownloadException;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.internal.startup.DownloadedFile;
import io.github.onnxgpu.boot.internal.startup.RemoteDownload;
import io.github.onnxgpu.boot.model.WarmupRequestMethod;

/**
 * The start-up checks of {@code onnx.warmup.requests}: each request's path, repeat,
 * headers and URI, its body read (downloaded within the download bounds from an http:
 * location), and the timeouts; every mistake an {@link OnnxModelException} naming the
 * property, before the models are warmed.
 */
public final class LoopbackRequestCheck {

	private LoopbackRequestCheck() {
	}

	/**
	 * Check a timeout of the warm-up requests.
	 * @param property the property that sets it
	 * @param timeout the timeout
	 * @param example a timeout to suggest
	 * @return the timeout
	 * @throws OnnxModelException when it is not positive, naming the property
	 */
	public static Duration positive(String property, Duration timeout, String example) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new OnnxModelException(null, property, "the timeout must be positive but is " + timeout,
					"set " + property + " to a duration such as " + example);
		}
		return timeout;
	}

	/**
	 * Check a configured request and read its body, so that a mistake stops start-up
	 * before the models are warmed.
	 * @param i the request's position in {@code onnx.warmup.requests}
	 * @param method the method
	 * @param configuredPath the path, below the context path
	 * @param bodyLocation where its body is, {@code null} for none
	 * @param contentType the body's content type
	 * @param headers the headers
	 * @param repeat how many times it is sent
	 * @param expectStatus the statuses it may answer
	 * @param downloads the bounds of a body at an http: location
	 * @return the request to send
	 * @throws OnnxModelException naming the property that is wrong
	 */
	public static LoopbackRequest checked(int i, WarmupRequestMethod method, @Nullable String configuredPath,
			@Nullable Resource bodyLocation, @Nullable String contentType, Map<String, String> headers, int repeat,
			List<Integer> expectStatus, DownloadSettings downloads) {
		String property = LoopbackRequest.property(i);
		String path = (configuredPath != null) ? configuredPath.strip() : "";
		if (!path.startsWith("/")) {
			throw new OnnxModelException(null, property + ".path",
					"warm-up request " + i + " has path '" + path + "', which does not start with '/'",
					"give the path below the context path, such as /predict");
		}
		if (repeat < 1) {
			throw new OnnxModelException(null, property + ".repeat",
					"warm-up request " + i + " is repeated " + repeat + " times",
					"give a repeat of at least 1 (10 by default)");
		}
		checkHeaders(i, headers);
		LoopbackRequest loopback = new LoopbackRequest(i, method, path, body(i, property, bodyLocation, downloads),
				contentType, headers, repeat, expectStatus);
		URI url;
		try {
			url = LoopbackRequestSender.url(URI.create("http://127.0.0.1:8080"), loopback);
		}
		catch (IllegalArgumentException ex) {
			// the JDK's message repeats the path, query values (tokens) included
			String reason = (ex.getCause() instanceof URISyntaxException syntax)
					? syntax.getReason() + " at index " + (syntax.getIndex() - "http://127.0.0.1:8080".length())
					: "not a valid URI";
			throw new OnnxModelException(null, property + ".path",
					"warm-up request " + i + " has path " + loopback.maskedPath() + ", which is no valid URI: "
							+ reason,
					"use valid URI characters in the path and query (percent-encode others, such as %20 for a "
							+ "space)");
		}
		try {
			LoopbackRequestSender.build(url, loopback, Duration.ofSeconds(1));
		}
		catch (IllegalArgumentException ex) {
			// no cause attached: its text is the JDK's, which may repeat a header
			// value
			throw new OnnxModelException(null, property + ".headers",
					"warm-up request " + i + " cannot be sent: "
							+ loopback.maskHeaders(String.valueOf(ex.getMessage())),
					"use headers the JDK HTTP client may set (not Host, Connection, Content-Length, Expect or "
							+ "Upgrade)");
		}
		return loopback;
	}

	// a header HTTP cannot carry is refused with a message that never shows its value:
	// the JDK client's own message repeats it
	private static void checkHeaders(int index, Map<String, String> headers) {
		headers.forEach((name, value) -> {
			String property = LoopbackRequest.property(index) + ".headers." + name;
			if (name.isEmpty() || !name.chars().allMatch(LoopbackRequestCheck::isTokenCharacter)) {
				throw new OnnxModelException(null, property,
						"warm-up request " + index + " has a header named '" + name
								+ "', which is no valid HTTP header name",
						"use letters, digits and !#$%&'*+-.^_`|~ in header names, such as X-Api-Key");
			}
			int bad = firstControlCharacter(value);
			if (bad >= 0) {
				boolean trailing = value.substring(bad).isBlank();
				throw new OnnxModelException(null, property,
						"the value of header '" + name + "' of warm-up request " + index + " has "
								+ (trailing ? "a line break or control character at its end (as a secret read from "
										+ "a file often has)" : "a line break or control character")
								+ ", which HTTP headers cannot carry (the value is not shown)",
						trailing ? "remove the trailing line break from the value, such as by writing the secret's "
								+ "file without one (printf, not echo) or reading it with Spring Boot's configtree:, "
								+ "which trims it" : "remove the line breaks and control characters from the value");
			}
		});
	}

	private static boolean isTokenCharacter(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
	}

	private static int firstControlCharacter(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				return i;
			}
		}
		return -1;
	}

	private static byte @Nullable [] body(int index, String property, @Nullable Resource body,
			DownloadSettings downloads) {
		if (body == null) {
			return null;
		}
		if (RemoteDownload.isRemote(body)) {
			return download(index, property, body, downloads);
		}
		try (InputStream in = body.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new OnnxModelException(null, property + ".body",
					"the body " + shown(body) + " cannot be read: " + LocationMasking.maskUrlsIn(ex.getMessage()),
					"point it at an existing resource, such as classpath:/warmup/request.json", ex);
		}
	}

	// streamed to a file under the download bounds: a silent server must not hang
	// start-up
	private static byte[] download(int index, String property, Resource body, DownloadSettings downloads) {
		String shown = shown(body);
		DownloadedFile file;
		try {
			file = RemoteDownload.download(body, downloads, "Warm-up request " + index, shown,
					"onnx-warmup-body-" + index + "-");
		}
		catch (DownloadException ex) {
			throw new OnnxModelException(null, (ex.getProperty() != null) ? ex.getProperty() : property + ".body",
					"the body " + shown + " of warm-up request " + index + " "
							+ LocationMasking.maskUrlsIn(ex.getMessage()),
					(ex.getFix() != null) ? ex.getFix() : "point " + property
							+ ".body at an existing resource, such as " + "classpath:/warmup/request.json",
					null);
		}
		try {
			return file.readAllBytes();
		}
		catch (IOException ex) {
			throw new OnnxModelException(null, DownloadSettings.PREFIX + "directory",
					"the downloaded body of warm-up request " + index + " cannot be read: " + ex.getMessage(),
					"set " + DownloadSettings.PREFIX + "directory to a folder this application can read", ex);
		}
		finally {
			file.delete();
		}
	}

	private static String shown(Resource body) {
		try {
			return LocationMasking.mask(body.getURL().toString());
		}
		catch (IOException ex) {
			return LocationMasking.maskUrlsIn(body.getDescription());
		}
	}

}
