package io.bpfwasm.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that shares one {@link LocalControlPlane} (with the bpfwasm CRDs installed) across all test
 * classes of a test JVM and stops it when the JVM's tests are done. Use with {@code @ExtendWith} and take a
 * {@link LocalControlPlane} parameter in a constructor, {@code @BeforeAll} or test method.
 */
public final class ControlPlaneExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The JVM-wide control plane, started on first use. */
  public static LocalControlPlane shared(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    return store.getOrComputeIfAbsent(SharedPlane.class, key -> new SharedPlane(), SharedPlane.class).plane;
  }

  // AutoCloseable values of the root store are closed when the whole test plan finishes.
  private static final class SharedPlane implements AutoCloseable {
    final LocalControlPlane plane;

    SharedPlane() {
      plane = LocalControlPlane.start();
      try {
        plane.installBpfWasmCrds();
      } catch (RuntimeException e) {
        plane.close();
        throw e;
      }
    }

    @Override
    public void close() {
      plane.close();
    }
  }
}
