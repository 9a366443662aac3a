package io.github.onnxgpu.boot.e2e.scanning;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An annotation of one's own that scans, two levels above {@code @ComponentScan}, for
 * {@code E2eApplicationsTests}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootApplication
public @interface ScansItsPackage {

}
