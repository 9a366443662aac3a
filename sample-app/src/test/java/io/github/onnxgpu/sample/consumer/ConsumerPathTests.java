package io.github.onnxgpu.sample.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's path, from the published artifacts to a warmed model answering over
 * HTTP: install the jars and POMs this build made (the parent, the auto-configuration and
 * the starter) into a local repository of the test's own, build {@code consumer-it} (a
 * project outside the reactor that depends on the installed starter only) with the GPU
 * artifact and with the CPU one on the Spring Boot baseline, and with the CPU one on the
 * newest Spring Boot 4.1.x, start each with {@code java -jar}, wait for readiness, call
 * {@code /actuator/onnx} and an inference endpoint, and stop it: with SIGTERM (exit
 * status 143, 128 + 15, as every JVM) or through the actuator's shutdown endpoint (exit
 * status 0). Once more with Spring AOT ({@code process-aot}, then
 * {@code -Dspring.aot.enabled=true}). An application on Spring Boot 3.5 with the starter
 * must stop at start-up with one line that asks for Spring Boot 4.
 */
// two at a time: each mostly waits on a nested build or its application
@Execution(ExecutionMode.CONCURRENT)
class ConsumerPathTests {

	private static final Path PROJECT_ROOT = Path.of(System.getProperty("sample.project-root", ".."))
		.toAbsolutePath()
		.normalize();

	private static final Path WORK = Path.of("target", "consumer-path").toAbsolutePath();

	private static final String STARTER_VERSION = System.getProperty("consumer.starter-version", "0.1.0-SNAPSHOT");

	private static final Path AUTOCONFIGURE = PROJECT_ROOT.resolve(Path.of("onnx-gpu-spring-boot-autoconfigure",
			"target", "onnx-gpu-spring-boot-autoconfigure-" + STARTER_VERSION + ".jar"));

	// the JVM's status after SIGTERM once its shutdown hooks ran: 128 + 15
	private static final int EXIT_AFTER_SIGTERM = 143;

	private static final Set<String> IGNORED = Set.of("target", ".git", ".idea");

	private static NestedMaven maven;

	@BeforeAll
	static void installStarterBuiltByThisBuild() throws Exception {
		deleteRecursively(WORK);
		// what "mvn install" of the reactor would put in a local repository, without a
		// nested build of the sources the outer build just compiled, tested and packaged;
		// a repository of its own, so the user's one never holds this snapshot
		Path repository = WORK.resolve("repository");
		install(repository, "onnx-gpu-spring-boot-parent", PROJECT_ROOT.resolve("pom.xml"), null);
		for (String module : List.of("onnx-gpu-spring-boot-autoconfigure", "onnx-gpu-spring-boot-starter")) {
			install(repository, module, PROJECT_ROOT.resolve(module).resolve("pom.xml"),
					PROJECT_ROOT.resolve(module).resolve("target").resolve(module + "-" + STARTER_VERSION + ".jar"));
		}
		maven = NestedMaven.fromSystemProperties(PROJECT_ROOT).withRepositoryHead(repository);
	}

	private static void install(Path repository, String artifactId, Path pom, @Nullable Path jar) throws IOException {
		Path directory = Files
			.createDirectories(repository.resolve(Path.of("io", "github", "onnxgpu", artifactId, STARTER_VERSION)));
		Files.copy(pom, directory.resolve(artifactId + "-" + STARTER_VERSION + ".pom"));
		if (jar != null) {
			assertThat(jar).as("the jar this build packaged (build with ./mvnw -pl sample-app -am verify)")
				.isRegularFile();
			Files.copy(jar, directory.resolve(jar.getFileName()));
		}
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void consumerBuiltAgainstInstalledStarterServesWarmedModelOverHttp(Variant variant) throws Exception {
		String variantName = "consumer-" + variant.name().toLowerCase(Locale.ROOT);
		String bootVersion = variant.springBootVersion();
		Path project = copy(PROJECT_ROOT.resolve("consumer-it"), WORK.resolve(variantName));
		maven.build(project.resolve("pom.xml"), WORK.resolve(variantName + "-build.log"), Duration.ofMinutes(3),
				"package", "-P" + variant.profile, "-Donnx-gpu-starter.version=" + STARTER_VERSION,
				"-Dspring-boot.version=" + bootVersion);
		Path jar = project.resolve("target/onnx-consumer.jar");
		assertThat(libraries(jar)).contains(variant.runtimeJar, "spring-boot-" + bootVersion + ".jar")
			.doesNotContain(variant.otherRuntimeJar);
		assertThat(crc(jar, "BOOT-INF/lib/" + AUTOCONFIGURE.getFileName()))
			.as("the auto-configuration jar this build packaged, not an older snapshot")
			.isEqualTo(crc(AUTOCONFIGURE));
		Files.createDirectories(project.resolve("models"));
		Files.write(project.resolve("models/detector.onnx"), TestModels.detector());
		Path log = WORK.resolve(variantName + "-run.log");
		try (RunningJar app = RunningJar.start(project, jar, log)) {
			Duration ready = app.awaitReady(Duration.ofSeconds(90));
			System.out.println("consumer-it (" + variant.profile + ", Spring Boot " + bootVersion
					+ "): java -jar to readiness 200 in " + ready.toMillis() + " ms");
			long asked = System.nanoTime();
			DocumentContext onnx = JsonPath.parse(app.get("/actuator/onnx").body());
			System.out.println("consumer-it (" + variant.profile + ", Spring Boot " + bootVersion
					+ "): first /actuator/onnx in " + Duration.ofNanos(System.nanoTime() - asked).toMillis() + " ms");
			assertThat(onnx.read("$.models.detector.status", String.class)).isEqualTo("READY");
			assertThat(onnx.read("$.models.detector.requestedProvider", String.class)).isEqualTo("CUDA");
			String provider = onnx.read("$.models.detector.provider", String.class);
			// the GPU artifact runs on CUDA where a GPU is usable; anywhere else both
			// fall back
			assertThat(provider).isIn(variant.hasCuda ? List.of("CUDA", "CPU") : List.of("CPU"));
			if (provider.equals("CPU")) {
				assertThat(onnx.read("$.models.detector.fallbackReason", String.class)).isNotBlank();
			}
			assertThat(onnx.read("$.models.detector.warmup.samples[0].inputs.image", List.class)).containsExactly(1, 3,
					64, 64);
			// compiled into the artifact the consumer chose; loadable only where CUDA
			// runs
			List<Map<String, Object>> providers = onnx.read("$.providers");
			assertThat(providers).extracting((entry) -> entry.get("name")).containsExactly("CPU", "CUDA", "TENSOR_RT");
			Map<String, Object> cuda = providers.get(1);
			assertThat(cuda.get("compiledIn")).as("CUDA in %s", providers).isEqualTo(variant.hasCuda);
			if (provider.equals("CUDA") || !variant.hasCuda) {
				assertThat(cuda.get("loadable")).as("CUDA loads, %s", providers).isEqualTo(variant.hasCuda);
			}
			if (Boolean.FALSE.equals(cuda.get("loadable"))) {
				assertThat((String) cuda.get("reason")).as("why CUDA does not load").isNotBlank();
			}
			HttpResponse<String> detect = app.post("/detect?height=32&width=48");
			assertThat(detect.statusCode()).as(detect.body()).isEqualTo(200);
			assertThat(JsonPath.parse(detect.body()).read("$.shape", List.class)).containsExactly(1, 1, 32, 48);
			// an orchestrator's SIGTERM, or the application asked to stop, which exits
			// with 0
			if (variant.stopWithSigterm) {
				assertThat(app.stop(Duration.ofSeconds(30))).isEqualTo(EXIT_AFTER_SIGTERM);
			}
			else {
				assertThat(app.shutDownThroughActuator(Duration.ofSeconds(30))).isZero();
			}
		}
		String output = Files.readString(log);
		assertThat(output).contains(":: Spring Boot ::", "(v" + bootVersion + ")", "Graceful shutdown complete")
			.doesNotContain(" ERROR ", "Exception");
		try (Stream<Path> files = Files.list(project)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.startsWith("hs_err"));
		}
		// the GPU jar weighs about 660 MB: keep the logs, not the jars
		Files.delete(jar);
	}

	/**
	 * Spring AOT, one build on the baseline with the CPU artifact: {@code process-aot} at
	 * build time, then {@code java -Dspring.aot.enabled=true -jar}: the model is warmed
	 * before readiness and answers; a model added to the configuration after the build
	 * stops start-up with its name and the fix.
	 */
	@Test
	void consumerProcessedAheadOfTimeServesWarmedModelAndRefusesAModelAddedAfterTheBuild() throws Exception {
		String bootVersion = Variant.CPU.springBootVersion();
		Path project = copy(PROJECT_ROOT.resolve("consumer-it"), WORK.resolve("consumer-aot"));
		long buildStarted = System.nanoTime();
		maven.build(project.resolve("pom.xml"), WORK.resolve("consumer-aot-build.log"), Duration.ofMinutes(3),
				"package", "-Pcpu,aot", "-Donnx-gpu-starter.version=" + STARTER_VERSION,
				"-Dspring-boot.version=" + bootVersion);
		System.out.println("consumer-it (cpu, Spring AOT): package with process-aot in "
				+ Duration.ofNanos(System.nanoTime() - buildStarted).toMillis() + " ms");
		Path jar = project.resolve("target/onnx-consumer.jar");
		assertThat(entries(jar)).as("the code process-aot generated")
			.anyMatch((name) -> name.startsWith("BOOT-INF/classes/io/github/onnxgpu/boot/autoconfigure/")
					&& name.endsWith("__BeanDefinitions.class"))
			.contains("BOOT-INF/classes/ai/onnxruntime/OrtSession$$SpringCGLIB$$0.class",
					"META-INF/native-image/com.example/onnx-consumer/reachability-metadata.json");
		Files.createDirectories(project.resolve("models"));
		Files.write(project.resolve("models/detector.onnx"), TestModels.detector());
		List<String> aot = List.of("-Dspring.aot.enabled=true");
		Path log = WORK.resolve("consumer-aot-run.log");
		try (RunningJar app = RunningJar.start(project, jar, log, aot, List.of())) {
			Duration ready = app.awaitReady(Duration.ofSeconds(90));
			System.out.println("consumer-it (cpu, Spring AOT): java -Dspring.aot.enabled=true -jar to readiness 200 in "
					+ ready.toMillis() + " ms");
			DocumentContext onnx = JsonPath.parse(app.get("/actuator/onnx").body());
			assertThat(onnx.read("$.models.detector.status", String.class)).isEqualTo("READY");
			assertThat(onnx.read("$.models.detector.warmup.samples[0].inputs.image", List.class)).containsExactly(1, 3,
					64, 64);
			assertThat(JsonPath.parse(app.get("/actuator/health").body()).read("$.status", String.class))
				.isEqualTo("UP");
			HttpResponse<String> detect = app.post("/detect?height=32&width=48");
			assertThat(detect.statusCode()).as(detect.body()).isEqualTo(200);
			assertThat(JsonPath.parse(detect.body()).read("$.shape", List.class)).containsExactly(1, 1, 32, 48);
			assertThat(app.stop(Duration.ofSeconds(30))).isEqualTo(EXIT_AFTER_SIGTERM);
		}
		assertThat(Files.readString(log)).contains("Starting AOT-processed ConsumerApplication")
			.contains("Graceful shutdown complete")
			.doesNotContain(" ERROR ", "Exception");
		Path addedLog = WORK.resolve("consumer-aot-added-model-run.log");
		try (RunningJar app = RunningJar.start(project, jar, addedLog, aot,
				List.of("--onnx.models.classifier.location=file:models/detector.onnx"))) {
			assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
		}
		assertThat(Files.readString(addedLog)).contains("APPLICATION FAILED TO START")
			.contains("ONNX model 'classifier': it is configured but was not when the application was processed "
					+ "ahead of time, so it has no OrtSession bean (models built in: [detector])")
			.contains("spring-boot:process-aot");
		Files.delete(jar);
	}

	@Test
	void applicationOnSpringBoot3StopsAtStartWithOneLineThatAsksForSpringBoot4() throws Exception {
		Path project = copy(PROJECT_ROOT.resolve("consumer-it/boot3"), WORK.resolve("consumer-boot3"));
		maven.build(project.resolve("pom.xml"), WORK.resolve("consumer-boot3-build.log"), Duration.ofMinutes(3),
				"package", "-Donnx-gpu-starter.version=" + STARTER_VERSION);
		Path jar = project.resolve("target/onnx-consumer-boot3.jar");
		String bootVersion = libraries(jar).stream()
			.filter((library) -> library.matches("spring-boot-\\d.*\\.jar"))
			.map((library) -> library.substring("spring-boot-".length(), library.length() - ".jar".length()))
			.findFirst()
			.orElseThrow();
		assertThat(bootVersion).startsWith("3.");
		Path log = WORK.resolve("consumer-boot3-run.log");
		try (RunningJar app = RunningJar.start(project, jar, log)) {
			assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
		}
		String output = Files.readString(log);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The ONNX GPU Spring Boot starter needs Spring Boot 4.0 or later, but this application runs on "
					+ "Spring Boot " + bootVersion + ". Upgrade the application to Spring Boot 4.0 or later, "
					+ "or remove io.github.onnxgpu:onnx-gpu-spring-boot-starter from its dependencies.")
			.doesNotContain("NoClassDefFoundError", "Application run failed");
		Files.delete(jar);
	}

	private static long crc(Path jar, String entry) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			ZipEntry found = zip.getEntry(entry);
			assertThat(found).as("%s in %s", entry, jar).isNotNull();
			return found.getCrc();
		}
	}

	private static long crc(Path file) throws IOException {
		CRC32 crc = new CRC32();
		crc.update(Files.readAllBytes(file));
		return crc.getValue();
	}

	private static List<String> entries(Path jar) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			return zip.stream().map(ZipEntry::getName).toList();
		}
	}

	private static List<String> libraries(Path jar) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			return zip.stream()
				.map(ZipEntry::getName)
				.filter((name) -> name.startsWith("BOOT-INF/lib/"))
				.map((name) -> name.substring("BOOT-INF/lib/".length()))
				.toList();
		}
	}

	private static Path copy(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			paths.filter((path) -> from.relativize(path).toString().isEmpty() || !isIgnored(from.relativize(path)))
				.forEach((path) -> {
					try {
						Path target = to.resolve(from.relativize(path).toString());
						if (Files.isDirectory(path)) {
							Files.createDirectories(target);
						}
						else {
							Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
						}
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
		}
		return to;
	}

	private static boolean isIgnored(Path relative) {
		for (Path part : relative) {
			if (IGNORED.contains(part.toString())) {
				return true;
			}
		}
		return false;
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/**
	 * The two ways to depend on the starter, on the Spring Boot baseline; and the lighter
	 * one on the newest Spring Boot 4.1.x (one more build, not a full matrix).
	 */
	enum Variant {

		/** The starter as is, with {@code onnxruntime_gpu}. */
		GPU("gpu", false, "onnxruntime_gpu-1.29.0.jar", "onnxruntime-1.29.0.jar", true, true),

		/** {@code onnxruntime_gpu} excluded, {@code onnxruntime} added. */
		CPU("cpu", false, "onnxruntime-1.29.0.jar", "onnxruntime_gpu-1.29.0.jar", false, false),

		/** The CPU artifact on the newest Spring Boot 4.1.x. */
		CPU_NEWEST_BOOT("cpu", true, "onnxruntime-1.29.0.jar", "onnxruntime_gpu-1.29.0.jar", false, true);

		final String profile;

		final boolean newestBoot;

		final String runtimeJar;

		final String otherRuntimeJar;

		final boolean hasCuda;

		final boolean stopWithSigterm;

		Variant(String profile, boolean newestBoot, String runtimeJar, String otherRuntimeJar, boolean hasCuda,
				boolean stopWithSigterm) {
			this.profile = profile;
			this.newestBoot = newestBoot;
			this.runtimeJar = runtimeJar;
			this.otherRuntimeJar = otherRuntimeJar;
			this.hasCuda = hasCuda;
			this.stopWithSigterm = stopWithSigterm;
		}

		/**
		 * The Spring Boot version to build the consumer with, from sample-app/pom.xml.
		 * @return the version
		 */
		String springBootVersion() {
			return this.newestBoot ? System.getProperty("consumer.spring-boot-newest", "4.1.2")
					: System.getProperty("consumer.spring-boot-baseline", "4.0.7");
		}

	}

}
