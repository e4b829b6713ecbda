package io.bpfwasm.runtime.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;

/**
 * The Chicory engine: modules are parsed, validated and compiled to JVM bytecode at {@link #compile} (the runtime
 * compiler), so instantiating is cheap and guest code runs at JIT speed.
 */
public final class ChicoryEngine implements WasmEngine {

    @Override
    public GuestModule compile(byte[] wasm) throws InvalidModuleException {
        try {
            var module = Parser.parse(wasm);
            return new ChicoryModule(module, MachineFactoryCompiler.compile(module));
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidModuleException("not a valid WebAssembly module: " + describe(e), e);
        }
    }

    static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
