package io.posestream.models.torch;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code state_dict} of a PyTorch checkpoint written by {@code torch.save}, in both of its formats:
 * <ul>
 *   <li>zip (PyTorch 1.6 and later): {@code <name>/data.pkl} holds the pickled dict, whose tensors refer by
 *       persistent id to raw storages {@code <name>/data/<key>};</li>
 *   <li>legacy (what the 2019 official HRNet checkpoints use): five pickles in a row (magic number, protocol
 *       version 1001, system info, the object, the sorted storage keys), then each storage as an int64 element
 *       count and its raw bytes.</li>
 * </ul>
 * A {@code module.} prefix (from {@code nn.DataParallel}) is stripped, {@code num_batches_tracked} counters are
 * dropped, and a training checkpoint's {@code state_dict} (or {@code model}) entry is used when the file holds more
 * than the weights. Only names are read from the pickle; no Python code is run.
 */
public final class TorchCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TorchCheckpoint.class);
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    private final Path file;

    private TorchCheckpoint(Path file) {
        this.file = file;
    }

    /**
     * The tensors of the checkpoint's state_dict by name, in file order.
     *
     * @throws CheckpointException naming the file and what is wrong: missing, not a checkpoint, truncated,
     *                             or a dict with entries that are not tensors
     */
    public static Map<String, TorchTensor> readStateDict(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("Checkpoint " + file + " does not exist or is not a file");
        }
        TorchCheckpoint reader = new TorchCheckpoint(file);
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(4);
            }
            Object root;
            String format;
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                root = reader.readZip();
                format = "zip";
            } else if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2) {
                root = reader.readLegacy();
                format = "legacy";
            } else {
                throw reader.error("is not a PyTorch checkpoint: it is neither a zip archive nor a pickle (starts with "
                        + hex(head) + ")");
            }
            Map<String, TorchTensor> state = reader.stateDict(root);
            LOG.info("Read PyTorch checkpoint {} ({} format): {} tensors", file, format, state.size());
            return state;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw reader.error("could not be read: " + e.getMessage(), e);
        }
    }

    private Object readZip() throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw error("is not a readable zip archive (truncated or corrupt: " + e.getMessage() + ")", e);
        }
        try (zip) {
            ZipEntry pkl = zip.stream()
                    .filter(e ->
                            e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> error("is a zip archive without a data.pkl: not a PyTorch checkpoint"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                String order = new String(zip.getInputStream(byteOrder).readAllBytes()).trim();
                if (!order.equals("little")) {
                    throw error("stores its tensors " + order + "-endian; only little-endian is supported");
                }
            }
            Map<String, TorchStorage> storages = new HashMap<>();
            List<CheckpointException> problems = new ArrayList<>();
            byte[] pickle = readEntry(zip, pkl);
            PickleReader reader = new PickleReader(
                    new ByteArrayInputStream(pickle),
                    file + " " + pkl.getName(),
                    TorchCheckpoint::reduce,
                    pid -> storages.computeIfAbsent(storageKey(pid), key -> {
                        TorchStorage s = storage(pid);
                        ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                        try {
                            if (entry == null) {
                                throw error("has no storage entry " + prefix + "data/" + key);
                            }
                            s.setData(readEntry(zip, entry));
                        } catch (CheckpointException e) {
                            problems.add(e);
                        } catch (IOException e) {
                            problems.add(
                                    error("storage " + entry.getName() + " could not be read: " + e.getMessage(), e));
                        }
                        return s;
                    }));
            Object root = reader.load();
            if (!problems.isEmpty()) {
                throw problems.get(0);
            }
            for (TorchStorage s : storages.values()) {
                checkSize(s);
            }
            return root;
        }
    }

    private byte[] readEntry(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw error("zip entry " + entry.getName() + " is corrupt: " + e.getMessage(), e);
        }
    }

    private Object readLegacy() throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                CountingStream in = new CountingStream(new BufferedInputStream(raw, 1 << 20))) {
            Object magic = new PickleReader(in, file + " (magic number)", (g, a) -> null, pid -> pid).load();
            if (!LEGACY_MAGIC.equals(magic instanceof Long l ? BigInteger.valueOf(l) : magic)) {
                throw error("is a pickle but not a PyTorch checkpoint (no torch.save magic number)");
            }
            Object protocol = new PickleReader(in, file + " (protocol)", (g, a) -> null, pid -> pid).load();
            if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                throw error("uses legacy protocol " + protocol + "; only " + LEGACY_PROTOCOL + " is supported");
            }
            Object sysInfo = new PickleReader(in, file + " (system info)", (g, a) -> null, pid -> pid).load();
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw error("was written big-endian; only little-endian is supported");
            }
            Map<String, TorchStorage> storages = new LinkedHashMap<>();
            Object root = new PickleReader(
                            in,
                            file + " (state)",
                            TorchCheckpoint::reduce,
                            pid -> storages.computeIfAbsent(storageKey(pid), key -> storage(pid)))
                    .load();
            Object keys = new PickleReader(in, file + " (storage keys)", (g, a) -> null, pid -> pid).load();
            if (!(keys instanceof List<?> keyList)) {
                throw error("has no storage key list after its object");
            }
            for (Object k : keyList) {
                TorchStorage s = storages.get(String.valueOf(k));
                if (s == null) {
                    throw error("lists storage " + k + " that no tensor references");
                }
                long at = in.count;
                byte[] count = in.readNBytes(8);
                long elements = count.length == 8
                        ? ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong()
                        : -1;
                long bytes = elements * s.type().elementSize;
                if (count.length < 8 || elements < 0 || bytes > Integer.MAX_VALUE - 8) {
                    throw error("is truncated or corrupt: storage " + k + " has no valid size at byte " + at);
                }
                byte[] data = in.readNBytes((int) bytes);
                if (data.length != bytes) {
                    throw error("is truncated: storage " + k + " needs " + bytes + " bytes from byte " + (at + 8)
                            + " but the file ends after " + data.length);
                }
                s.setData(data);
                checkSize(s);
            }
            for (TorchStorage s : storages.values()) {
                if (s.elements() == 0 && s.declaredElements() > 0) {
                    throw error("has no data for storage " + s.key());
                }
            }
            return root;
        }
    }

    private void checkSize(TorchStorage s) {
        if (s.declaredElements() >= 0 && s.elements() != s.declaredElements()) {
            throw error("storage " + s.key() + " has " + s.elements() + " elements, its header says "
                    + s.declaredElements() + " (truncated or corrupt)");
        }
    }

    /** The persistent id's storage key: {@code ('storage', type, key, location, numel[, view])}. */
    private String storageKey(Object pid) {
        if (pid instanceof List<?> t && t.size() >= 5 && "storage".equals(t.get(0))) {
            return String.valueOf(t.get(2));
        }
        throw error("has a persistent id that is not a storage: " + pid);
    }

    private TorchStorage storage(Object pid) {
        List<?> t = (List<?>) pid;
        if (!(t.get(1) instanceof PickleReader.Global g) || TorchStorage.Type.of(g.name()) == null) {
            throw error("has storage " + t.get(2) + " of unsupported type " + t.get(1));
        }
        if (t.size() > 5 && t.get(5) != null) {
            throw error("has storage " + t.get(2) + " saved as a view of another storage (not supported)");
        }
        long numel = t.get(4) instanceof Long n ? n : -1;
        return new TorchStorage(String.valueOf(t.get(2)), TorchStorage.Type.of(g.name()), numel);
    }

    /** Calls the few globals a state_dict pickle uses; everything else stays data. */
    private static Object reduce(PickleReader.Global g, List<Object> args) {
        String name = g.toString();
        switch (name) {
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (args.size() < 4
                        || !(args.get(0) instanceof TorchStorage storage)
                        || !(args.get(1) instanceof Long offset)) {
                    return null;
                }
                return new TorchTensor(storage, offset, longs(args.get(2)), longs(args.get(3)));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                return args.isEmpty() ? null : args.get(0);
            }
            case "collections.OrderedDict" -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
                    for (Object pair : pairs) {
                        if (pair instanceof List<?> kv && kv.size() == 2) {
                            dict.put(kv.get(0), kv.get(1));
                        }
                    }
                }
                return dict;
            }
            default -> {
                return null;
            }
        }
    }

    private static long[] longs(Object tuple) {
        List<?> list = (List<?>) tuple;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) list.get(i);
        }
        return out;
    }

    private Map<String, TorchTensor> stateDict(Object root) {
        Object dict = root;
        if (root instanceof Map<?, ?> m
                && !m.isEmpty()
                && !(m.values().iterator().next() instanceof TorchTensor)) {
            dict = m.containsKey("state_dict") ? m.get("state_dict") : m.get("model");
        }
        if (!(dict instanceof Map<?, ?> map)) {
            throw error("does not hold a state_dict (a dict of tensors); it holds "
                    + (root == null
                            ? "None"
                            : root instanceof Map<?, ?> m
                                    ? "a dict with keys " + m.keySet()
                                    : root.getClass().getSimpleName()));
        }
        boolean allPrefixed = !map.isEmpty()
                && map.keySet().stream().allMatch(k -> String.valueOf(k).startsWith("module."));
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        List<String> notTensors = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (allPrefixed) {
                name = name.substring("module.".length());
            }
            if (name.endsWith("num_batches_tracked")) {
                continue; // a training counter, not a weight
            }
            if (e.getValue() instanceof TorchTensor t) {
                out.put(name, t);
            } else {
                notTensors.add(name);
            }
        }
        if (!notTensors.isEmpty()) {
            throw error("has state_dict entries that are not tensors: " + notTensors);
        }
        return out;
    }

    private CheckpointException error(String what) {
        return new CheckpointException("Checkpoint " + file + " " + what);
    }

    private CheckpointException error(String what, Throwable cause) {
        return new CheckpointException("Checkpoint " + file + " " + what, cause);
    }

    private static String hex(byte[] b) {
        return b.length == 0
                ? "nothing: the file is empty"
                : "0x" + HexFormat.of().formatHex(b);
    }

    /** Counts bytes read, for error positions. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
