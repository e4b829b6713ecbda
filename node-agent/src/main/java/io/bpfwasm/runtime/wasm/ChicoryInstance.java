package io.bpfwasm.runtime.wasm;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;

/** A Chicory instance with its WASI state. */
final class ChicoryInstance implements GuestInstance {
    private final Instance instance;
    private final ChicoryGuest guest;
    private final WasiPreview1 wasi;
    private final GuestActivity activity;
    private final long memoryLimit;

    ChicoryInstance(Instance instance, ChicoryGuest guest, WasiPreview1 wasi, GuestActivity activity,
                    long memoryLimit) {
        this.instance = instance;
        this.guest = guest;
        this.wasi = wasi;
        this.activity = activity;
        this.memoryLimit = memoryLimit;
    }

    @Override
    public RunResult run() {
        activity.enterGuest();
        try {
            instance.export("_start").apply();
            return new RunResult.Exited(0);
        } catch (WasiExitException e) {
            return new RunResult.Exited(e.exitCode());
        } catch (ExecutionCompletedException e) {
            return new RunResult.Exited(0);
        } catch (GuestInterruptedException | ChicoryInterruptedException e) {
            return new RunResult.Interrupted();
        } catch (ChicoryException e) {
            // WASI's sleep reports an interrupt as a plain ChicoryException caused by InterruptedException
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                return new RunResult.Interrupted();
            }
            return new RunResult.Trapped(ChicoryEngine.describe(e));
        } catch (StackOverflowError e) {
            return new RunResult.Trapped("call stack exhausted");
        } finally {
            activity.enterHost();
        }
    }

    @Override
    public long memorySize() {
        return guest.size();
    }

    @Override
    public long memoryLimit() {
        return memoryLimit;
    }

    @Override
    public void close() {
        wasi.close();
    }
}
