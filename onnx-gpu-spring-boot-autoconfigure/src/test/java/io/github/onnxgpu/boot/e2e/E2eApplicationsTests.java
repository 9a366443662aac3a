package io.github.onnxgpu.boot.e2e;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The applications of this package's tests scan no package: this one holds the
 * applications other tests start in JVMs of their own ({@link ShutdownProcess} starts
 * busy threads once ready), which a scanning application in a test's JVM would pick up
 * and run there, loading the CPU of every test that JVM runs after it.
 */
class E2eApplicationsTests {

	@Test
	void noApplicationInThisPackageScansIt() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ComponentScan.class));
		Set<String> scanning = scanner.findCandidateComponents(getClass().getPackageName())
			.stream()
			.map(BeanDefinition::getBeanClassName)
			.collect(Collectors.toSet());
		assertThat(scanning).as("applications that scan %s", getClass().getPackageName()).isEmpty();
	}

}
