package io.bpfwasm.runtime.wasm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A parsed and compiled module; instantiate as often as needed. */
final class ChicoryModule implements GuestModule {
    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;

    ChicoryModule(WasmModule module, Function<Instance, Machine> machineFactory) {
        this.module = module;
        this.machineFactory = machineFactory;
    }

    @Override
    public GuestInstance instantiate(InstanceConfig config) throws InstantiateException {
        requireExport("_start", ExternalType.FUNCTION);
        requireExport("memory", ExternalType.MEMORY);
        var limits = cappedLimits(config.memoryLimitBytes());
        var wasi = WasiPreview1.builder().withOptions(wasiOptions(config.wasi())).build();
        var activity = config.activity();
        var guest = new ChicoryGuest(activity);
        var imports = new ArrayList<com.dylibso.chicory.runtime.ImportFunction>();
        for (var f : wasi.toHostFunctions()) {
            imports.add(crossing(f.module(), f.name(), f.functionType(), f.handle(), activity));
        }
        for (HostFunction f : config.hostFunctions()) {
            imports.add(crossing(f.module(), f.name(), adaptedType(f), adaptedHandle(f, guest), activity));
        }
        try {
            Instance instance = Instance.builder(module)
                    .withMachineFactory(machineFactory)
                    .withMemoryFactory(ByteArrayMemory::new) // ~3x faster guest memory access than the default
                    .withMemoryLimits(limits)
                    .withImportValues(ImportValues.builder().withFunctions(imports).build())
                    .withStart(false)
                    .build();
            guest.bind(instance);
            return new ChicoryInstance(instance, guest, wasi, activity,
                    (long) limits.maximumPages() * WasmPages.PAGE_SIZE);
        } catch (ChicoryException e) {
            wasi.close();
            throw new InstantiateException("cannot instantiate the module: " + ChicoryEngine.describe(e), e);
        }
    }

    private void requireExport(String name, ExternalType type) throws InstantiateException {
        var exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            var e = exports.getExport(i);
            if (e.name().equals(name) && e.exportType() == type) {
                return;
            }
        }
        throw new InstantiateException("the module exports no " + type.name().toLowerCase() + " '" + name + "'"
                + " (a WASI command module built with --export-table is expected)");
    }

    /** The module's own limits, with the maximum lowered to the configured cap. */
    private MemoryLimits cappedLimits(long limitBytes) throws InstantiateException {
        var section = module.memorySection();
        if (section.isEmpty() || section.get().memoryCount() == 0) {
            throw new InstantiateException("the module imports its memory; it must define and export its own");
        }
        var declared = section.get().getMemory(0).limits();
        int capPages = WasmPages.pagesWithin(limitBytes);
        if (declared.initialPages() > capPages) {
            throw new InstantiateException("the module needs " + mib(declared.initialPages()) + " of memory at start,"
                    + " more than the limit of " + mib(capPages));
        }
        return new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), capPages));
    }

    private static String mib(int pages) {
        return String.format("%.1f MiB", pages * (double) WasmPages.PAGE_SIZE / (1 << 20));
    }

    private static WasiOptions wasiOptions(WasiConfig c) {
        var b = WasiOptions.builder()
                .withArguments(c.args())
                // isTty: fd_fdstat_get reports a character device, so wasi-libc line-buffers stdout
                .withStdout(c.stdout(), true)
                .withStderr(c.stderr(), true)
                .withRandom(new SecureRandom());
        c.env().forEach(b::withEnvironment);
        return b.build();
    }

    /** An import that records the guest leaving for the host and coming back, however the call ends. */
    private static com.dylibso.chicory.runtime.HostFunction crossing(String module, String name, FunctionType type,
            WasmFunctionHandle handle, GuestActivity activity) {
        return new com.dylibso.chicory.runtime.HostFunction(module, name, type, (inst, args) -> {
            activity.enterHost();
            try {
                return handle.apply(inst, args);
            } finally {
                activity.enterGuest();
            }
        });
    }

    private static FunctionType adaptedType(HostFunction f) {
        return FunctionType.of(valTypes(f.params()), valTypes(f.results()));
    }

    private static WasmFunctionHandle adaptedHandle(HostFunction f, ChicoryGuest guest) {
        var impl = f.implementation();
        if (f.results().isEmpty()) {
            return (inst, args) -> {
                impl.call(guest, args);
                return null;
            };
        }
        return (inst, args) -> new long[] {impl.call(guest, args)};
    }

    static List<ValType> valTypes(List<ValueType> types) {
        return types.stream().map(t -> t == ValueType.I32 ? ValType.I32 : ValType.I64).toList();
    }
}
