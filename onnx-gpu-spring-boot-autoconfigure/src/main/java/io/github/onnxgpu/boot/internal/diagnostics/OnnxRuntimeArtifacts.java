package io.github.onnxgpu.boot.internal.diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Manifest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Finds the ONNX Runtime jars on the class path, before the first session: two of them
 * (the starter's {@code onnxruntime_gpu} beside the {@code onnxruntime} 1.21.1 that
 * Spring AI's transformers module and LangChain4j's in-process embeddings bring) hold the
 * same classes and native libraries, and which one serves depends on the class path's
 * order; that stops start-up, naming both and the exclusion. One jar of a version other
 * than the one the starter was built with is logged as a warning: the starter calls ONNX
 * Runtime's newer API.
 */
public final class OnnxRuntimeArtifacts {

	/** The ONNX Runtime version the starter is built and tested with. */
	public static final String BUILT_WITH = "1.29.0";

	static final String CLASS_RESOURCE = "ai/onnxruntime/OrtEnvironment.class";

	private static final Log logger = LogFactory.getLog(OnnxRuntimeArtifacts.class);

	private OnnxRuntimeArtifacts() {
	}

	/**
	 * The ONNX Runtime jars a class loader sees.
	 * @param classLoader the class loader
	 * @return each jar holding {@code ai/onnxruntime/OrtEnvironment.class}, in class path
	 * order
	 */
	public static List<Artifact> find(ClassLoader classLoader) {
		List<Artifact> artifacts = new ArrayList<>();
		try {
			for (URL url : Collections.list(classLoader.getResources(CLASS_RESOURCE))) {
				String text = url.toString();
				String root = text.substring(0, text.length() - CLASS_RESOURCE.length());
				Manifest manifest = manifest(root);
				String title = (manifest != null) ? manifest.getMainAttributes().getValue("Implementation-Title")
						: null;
				String version = (manifest != null) ? manifest.getMainAttributes().getValue("Implementation-Version")
						: null;
				artifacts.add(new Artifact(root.endsWith("!/") ? root.substring(0, root.length() - 2) : root, title,
						version));
			}
		}
		catch (IOException ex) {
			logger.debug("Could not list the ONNX Runtime jars", ex);
		}
		return artifacts;
	}

	private static @Nullable Manifest manifest(String root) {
		try (InputStream in = new URL(root + "META-INF/MANIFEST.MF").openStream()) {
			return new Manifest(in);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Check the class path: one ONNX Runtime jar, of the version the starter was built
	 * with.
	 * @param classLoader the class loader that loads ONNX Runtime
	 * @throws OnnxModelException when there are two or more ONNX Runtime jars
	 */
	public static void check(ClassLoader classLoader) {
		List<Artifact> artifacts = find(classLoader);
		if (artifacts.size() > 1) {
			Artifact kept = artifacts.get(0);
			List<Artifact> others = artifacts.subList(1, artifacts.size());
			throw new OnnxModelException(null, "the class path (com.microsoft.onnxruntime artifacts)",
					"ONNX Runtime is on the class path " + artifacts.size() + " times: " + artifacts
							+ "; they hold the same classes and native libraries, so which one runs depends on the "
							+ "class path's order, and an ONNX Runtime other than " + BUILT_WITH
							+ " lacks what the starter calls (LangChain4j's in-process embeddings and Spring AI's "
							+ "transformers module bring com.microsoft.onnxruntime:onnxruntime 1.21.1)",
					"keep one: exclude com.microsoft.onnxruntime:" + name(others.get(0))
							+ " from the dependency that brings it (mvn dependency:tree -Dincludes=com.microsoft.onnxruntime "
							+ "shows which), as docs/embeddings.md shows; " + kept + " is the one loaded now");
		}
		if (artifacts.size() == 1 && artifacts.get(0).version() != null
				&& !BUILT_WITH.equals(artifacts.get(0).version())) {
			logger.warn("ONNX Runtime " + artifacts.get(0) + " is on the class path, but the starter is built with "
					+ BUILT_WITH + ": use com.microsoft.onnxruntime:onnxruntime_gpu (or onnxruntime) " + BUILT_WITH);
		}
	}

	private static String name(Artifact artifact) {
		return (artifact.title() != null) ? artifact.title() : "onnxruntime";
	}

	/**
	 * One ONNX Runtime jar.
	 *
	 * @param location where its classes are
	 * @param title its manifest's {@code Implementation-Title}, such as
	 * {@code onnxruntime_gpu}, or {@code null}
	 * @param version its manifest's {@code Implementation-Version}, or {@code null}
	 */
	public record Artifact(String location, @Nullable String title, @Nullable String version) {

		@Override
		public String toString() {
			return ((this.title != null) ? this.title : "ONNX Runtime") + " "
					+ ((this.version != null) ? this.version : "(version unknown)") + " (" + this.location + ")";
		}

	}

}
