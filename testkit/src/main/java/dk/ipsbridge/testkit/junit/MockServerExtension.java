package dk.ipsbridge.testkit.junit;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lifecycle both mocks share. Registered on a {@code static} field it starts once before the class and is reset
 * (store, faults, request journal) before each test; on an instance field it starts fresh for each test. Either way
 * it stops when its scope ends, and a test method may take the mock as a parameter.
 */
abstract class MockServerExtension<M extends AutoCloseable> implements BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterAllCallback, ParameterResolver {

    private final Class<M> type;
    private final Supplier<M> start;
    private final Consumer<M> reset;
    private M mock;
    private boolean perClass;

    MockServerExtension(Class<M> type, Supplier<M> start, Consumer<M> reset) {
        this.type = type;
        this.start = start;
        this.reset = reset;
    }

    /** The running mock; started when the extension's scope began. */
    M mock() {
        if (mock == null) {
            throw new IllegalStateException("The " + type.getSimpleName() + " runs only while a test does");
        }
        return mock;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        mock = start.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            reset.accept(mock);
        } else {
            mock = start.get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return mock();
    }

    private void stop() throws Exception {
        if (mock != null) {
            mock.close();
            mock = null;
        }
    }
}
