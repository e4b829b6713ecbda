package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.runtime.wasibpf.BpfBackend.LoadedMap;
import io.bpfwasm.runtime.wasibpf.BpfBackend.LoadedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One guest instance's handles: object handles (opaque u64 &gt; 0) and map "fds" (int &gt; 0). A map fd names a map
 * of an object this instance loaded and dies with that object; numbers are never reused within an instance, so a
 * stale handle is always unknown rather than naming something else. Used on the guest's thread only.
 */
final class HandleTable {
    record MapEntry(long object, String name, LoadedMap map) {}

    private final Map<Long, LoadedObject> objects = new LinkedHashMap<>();
    private final Map<Integer, MapEntry> maps = new HashMap<>();
    private long nextObject = 1;
    private int nextMap = 1;

    long addObject(LoadedObject object) {
        long handle = nextObject++;
        objects.put(handle, object);
        return handle;
    }

    /** Null when unknown. */
    LoadedObject object(long handle) {
        return objects.get(handle);
    }

    /** The fd of map {@code name} of object {@code object}, the same one on every call. */
    int mapFd(long object, String name, LoadedMap map) {
        for (var e : maps.entrySet()) {
            if (e.getValue().object() == object && e.getValue().name().equals(name)) {
                return e.getKey();
            }
        }
        int fd = nextMap++;
        maps.put(fd, new MapEntry(object, name, map));
        return fd;
    }

    /** Null when unknown. */
    MapEntry map(int fd) {
        return maps.get(fd);
    }

    /** Forgets the object and its map fds; null when unknown. */
    LoadedObject removeObject(long handle) {
        maps.values().removeIf(m -> m.object() == handle);
        return objects.remove(handle);
    }

    /** Forgets everything, returning the objects in load order. */
    List<LoadedObject> removeAll() {
        var all = new ArrayList<>(objects.values());
        objects.clear();
        maps.clear();
        return all;
    }

    List<LoadedObject> objects() {
        return List.copyOf(objects.values());
    }
}
