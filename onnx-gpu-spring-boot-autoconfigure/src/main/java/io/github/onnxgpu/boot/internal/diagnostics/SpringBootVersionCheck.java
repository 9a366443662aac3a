package io.github.onnxgpu.boot.internal.diagnostics;

import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Stops start-up with one clear line when the application runs on a Spring Boot older
 * than 4.0, instead of a {@code NoClassDefFoundError} from deep inside an
 * auto-configuration.
 * <p>
 * An {@link ApplicationContextInitializer} registered in
 * {@code META-INF/spring.factories} because Spring Boot 3 and 4 both load it from there
 * and run it before the context refreshes, that is before any of this starter's
 * auto-configurations (which need Boot 4 types) is loaded; on Boot 3 this starter's
 * environment post-processor is not loaded at all (Boot 3 looks for another factory key).
 * It runs after logging is initialized, so the failure is reported by
 * {@link UnsupportedSpringBootVersionFailureAnalyzer} rather than as a stack trace. It
 * uses only Spring Framework types and {@link SpringBootVersion}, which every Boot
 * version has. Conditions on the auto-configurations would only skip them silently, and
 * the application would start without its models.
 * <p>
 * Boot 4 is recognised by a type it introduced and this starter uses, not by parsing the
 * version, which is unknown when Boot's jar has no manifest (a shaded jar, for instance).
 */
public class SpringBootVersionCheck implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	/**
	 * A type that Spring Boot 4.0 introduced and this starter needs.
	 */
	static final String BOOT_4_TYPE = "org.springframework.boot.EnvironmentPostProcessor";

	private final Predicate<@Nullable ClassLoader> boot4Present;

	private final Supplier<@Nullable String> version;

	/**
	 * Create the check, as Spring Boot does.
	 */
	public SpringBootVersionCheck() {
		this(SpringBootVersionCheck::isSpringBoot4, SpringBootVersion::getVersion);
	}

	SpringBootVersionCheck(Predicate<@Nullable ClassLoader> boot4Present, Supplier<@Nullable String> version) {
		this.boot4Present = boot4Present;
		this.version = version;
	}

	static boolean isSpringBoot4(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(BOOT_4_TYPE, classLoader);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void initialize(ConfigurableApplicationContext applicationContext) {
		if (!this.boot4Present.test(applicationContext.getClassLoader())) {
			throw new UnsupportedSpringBootVersionException(this.version.get());
		}
	}

}
