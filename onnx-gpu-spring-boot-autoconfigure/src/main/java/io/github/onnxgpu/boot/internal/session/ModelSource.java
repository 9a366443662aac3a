package io.github.onnxgpu.boot.internal.session;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.startup.DownloadException;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.internal.startup.DownloadedFile;
import io.github.onnxgpu.boot.internal.startup.RemoteDownload;
import io.github.onnxgpu.boot.internal.startup.StartupStoppedException;

/**
 * A model file checked to be what the configuration says before ONNX Runtime sees it:
 * that it exists, is not a Git LFS pointer, and matches its SHA-256. A file on disk is
 * handed to ONNX Runtime by path, so that it is not copied onto the Java heap and its
 * external data files (weights next to the model) are found. An {@code http:} or
 * {@code https:} location is streamed to a temporary file (bounded by
 * {@code onnx.download.*}), handed over by path too and deleted by {@link #release()};
 * anything else, such as a class path resource in a jar, is read into memory.
 */
final class ModelSource {

	private static final byte[] LFS_POINTER_START = "version https://git-lfs.github.com/spec/"
		.getBytes(StandardCharsets.US_ASCII);

	private final ModelDefinition definition;

	private final @Nullable File file;

	private final byte @Nullable [] bytes;

	private final @Nullable DownloadedFile download;

	private @Nullable String sha256;

	private ModelSource(ModelDefinition definition, @Nullable File file, byte @Nullable [] bytes,
			@Nullable DownloadedFile download) {
		this.definition = definition;
		this.file = file;
		this.bytes = bytes;
		this.download = download;
		this.sha256 = (download != null) ? download.sha256() : null;
	}

	/**
	 * Check the model file of a definition.
	 * @param definition the model
	 * @param downloads the bounds of a download
	 * @return the checked source, to {@link #release()} when no session will be created
	 * from it any more
	 * @throws OnnxModelException when the file is missing, unreadable, a Git LFS pointer,
	 * or does not match its checksum, or its download fails or runs out of time
	 * @throws StartupStoppedException when the JVM began to shut down during its download
	 */
	static ModelSource of(ModelDefinition definition, DownloadSettings downloads) {
		String name = definition.name();
		String locationProperty = OnnxModelException.modelProperty(name, "location");
		Resource location = definition.location();
		if (location == null) {
			throw new OnnxModelException(name, locationProperty, "no model location is set",
					"set " + locationProperty + " to the model file, such as classpath:/models/" + name + ".onnx");
		}
		if (RemoteDownload.isRemote(location)) {
			return downloaded(definition, downloads);
		}
		if (!location.exists()) {
			throw new OnnxModelException(name, locationProperty,
					"the model file " + definition.describeLocation() + " " + FileProblems.whyMissing(location),
					"correct " + locationProperty + " or put the model file there");
		}
		try {
			File file = location.isFile() ? location.getFile() : null;
			byte[] bytes = (file != null) ? null : readAll(location);
			ModelSource source = new ModelSource(definition, file, bytes, null);
			source.check();
			return source;
		}
		catch (IOException ex) {
			IOException shown = masked(ex);
			throw new OnnxModelException(name, locationProperty,
					"the model file " + definition.describeLocation() + " cannot be read: " + shown.getMessage(),
					"check that the file is readable by the application", shown);
		}
	}

	private static ModelSource downloaded(ModelDefinition definition, DownloadSettings downloads) {
		String name = definition.name();
		String locationProperty = OnnxModelException.modelProperty(name, "location");
		String shown = definition.describeLocation();
		DownloadedFile download;
		try {
			download = RemoteDownload.download(definition.location(), downloads, "ONNX model '" + name + "'", shown,
					"onnx-model-" + name + "-");
		}
		catch (DownloadException ex) {
			String property = (ex.getProperty() != null) ? ex.getProperty() : locationProperty;
			String fix = (ex.getFix() != null) ? ex.getFix() : "correct " + locationProperty;
			if (ex.isMissing()) {
				fix = "correct " + locationProperty + " or put the model file there";
			}
			IOException cause = masked(ex);
			throw new OnnxModelException(name, property,
					"the model file " + shown + " " + LocationMasking.maskUrlsIn(ex.getMessage()), fix, cause);
		}
		ModelSource source = new ModelSource(definition, download.file().toFile(), null, download);
		try {
			source.check();
			return source;
		}
		catch (IOException ex) {
			source.release();
			IOException shownCause = masked(ex);
			throw new OnnxModelException(name, locationProperty,
					"the downloaded model file of " + shown + " cannot be read: " + shownCause.getMessage(),
					"check that the download folder (onnx.download.directory) is readable", shownCause);
		}
		catch (RuntimeException ex) {
			source.release();
			throw ex;
		}
	}

	/**
	 * Delete the temporary file of a downloaded model, once no session will be created
	 * from this source any more. Does nothing for other sources.
	 */
	void release() {
		if (this.download != null) {
			this.download.delete();
		}
	}

	/**
	 * The failure to report as the cause. URL connections name the URL, credentials
	 * included, in their messages; such a failure is replaced by one with the URL masked
	 * (and the same stack), since the cause is logged with the start-up failure.
	 * @param ex the failure
	 * @return the failure, or a masked stand-in
	 */
	private static IOException masked(IOException ex) {
		if (ex instanceof DownloadException download && download.getCause() instanceof IOException cause) {
			return masked(cause);
		}
		if (!containsUnmasked(ex)) {
			return ex;
		}
		IOException stand = new IOException(
				ex.getClass().getName() + ": " + LocationMasking.maskUrlsIn(String.valueOf(ex.getMessage())));
		stand.setStackTrace(ex.getStackTrace());
		return stand;
	}

	private static boolean containsUnmasked(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && !message.equals(LocationMasking.maskUrlsIn(message))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Create the session.
	 * @param environment the environment
	 * @param options the session options
	 * @return the session
	 * @throws OrtException when ONNX Runtime cannot load the model
	 */
	OrtSession createSession(OrtEnvironment environment, SessionOptions options) throws OrtException {
		return (this.file != null) ? environment.createSession(this.file.getAbsolutePath(), options)
				: environment.createSession(this.bytes, options);
	}

	/**
	 * Read the model file.
	 * @return a stream of its bytes, which the caller closes
	 * @throws IOException when it cannot be read
	 */
	InputStream open() throws IOException {
		if (this.bytes != null) {
			return new ByteArrayInputStream(this.bytes);
		}
		// a downloaded model is read from its copy, never fetched again
		return (this.file != null) ? Files.newInputStream(this.file.toPath())
				: this.definition.location().getInputStream();
	}

	/**
	 * The size of the model file, for messages.
	 * @return the size in bytes
	 */
	long size() {
		return (this.file != null) ? this.file.length() : this.bytes.length;
	}

	private void check() throws IOException {
		String name = this.definition.name();
		byte[] start = Arrays.copyOf(head(), LFS_POINTER_START.length);
		if (Arrays.equals(start, LFS_POINTER_START)) {
			String property = OnnxModelException.modelProperty(name, "location");
			throw new OnnxModelException(name, property,
					"the model file " + this.definition.describeLocation() + " is a Git LFS pointer, not the model",
					"fetch the real file with 'git lfs pull' (or install Git LFS before cloning)");
		}
		String expected = this.definition.sha256();
		if (expected != null && !expected.isBlank()) {
			String actual = sha256();
			if (!actual.equalsIgnoreCase(expected.strip())) {
				String property = OnnxModelException.modelProperty(name, "sha256");
				throw new OnnxModelException(name, property,
						"the model file " + this.definition.describeLocation() + " has SHA-256 " + actual
								+ ", expected " + expected.strip(),
						"deploy the model file the checksum belongs to, or update " + property);
			}
		}
	}

	private byte[] head() throws IOException {
		if (this.bytes != null) {
			return this.bytes;
		}
		try (InputStream input = open()) {
			return input.readNBytes(LFS_POINTER_START.length);
		}
	}

	/**
	 * The SHA-256 of the model file, for keys such as the TensorRT cache's.
	 * @return the checksum in hex
	 * @throws UncheckedIOException when the file cannot be read
	 */
	String sha256Hex() {
		try {
			return sha256();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(masked(ex));
		}
	}

	// read once: the checksum check, the tuning cache's key and the TensorRT cache key of
	// every tuning candidate all ask for it, and a model file can be gigabytes
	private synchronized String sha256() throws IOException {
		if (this.sha256 == null) {
			this.sha256 = digest();
		}
		return this.sha256;
	}

	private String digest() throws IOException {
		MessageDigest digest = sha256Digest();
		if (this.bytes != null) {
			digest.update(this.bytes);
		}
		else {
			try (InputStream input = new DigestInputStream(open(), digest)) {
				input.transferTo(OutputStream.nullOutputStream());
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest sha256Digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] readAll(Resource location) throws IOException {
		try (InputStream input = location.getInputStream()) {
			return input.readAllBytes();
		}
	}

}
