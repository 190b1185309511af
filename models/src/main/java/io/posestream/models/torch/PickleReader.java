package io.posestream.models.torch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A Python unpickler for the subset of the pickle format (protocols 2 to 5) that {@code torch.save} writes for a
 * {@code state_dict}: dicts, lists, tuples, numbers, strings, globals called through REDUCE, and persistent ids
 * (PyTorch's reference to a tensor storage). It never runs code: a global is only a name, and calling one yields
 * {@link Call} unless {@link Reducer} knows it.
 *
 * <p>Python values map to: dict to {@link LinkedHashMap}, list to {@link ArrayList}, tuple to an unmodifiable
 * {@link List}, int to {@link Long} (or {@link BigInteger}), float to {@link Double}, str to {@link String},
 * bytes to {@code byte[]}, bool to {@link Boolean}, None to {@code null}.
 */
public final class PickleReader {
    /** A Python global (class or function) named by module and name. */
    public record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A call of a global the reducer did not know, kept as data: {@code callable(*args)} plus any BUILD state. */
    public static final class Call {
        public final Global callable;
        public final List<Object> args;
        public Object state;

        Call(Global callable, List<Object> args) {
            this.callable = callable;
            this.args = args;
        }

        @Override
        public String toString() {
            return callable + args.toString();
        }
    }

    /** Turns {@code callable(*args)} into a value, or returns null to keep it as a {@link Call}. */
    public interface Reducer {
        Object reduce(Global callable, List<Object> args);
    }

    private static final Object MARK = new Object();

    private final InputStream in;
    private final String source;
    private final Reducer reducer;
    private final Function<Object, Object> persistentLoad;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long position;

    /**
     * @param in             the pickle bytes; reading stops right after the STOP opcode, so several pickles can
     *                       follow one another in one stream
     * @param source         what is being read, for error messages (file and part)
     * @param reducer        how known globals are called
     * @param persistentLoad resolves a persistent id (PyTorch: a storage reference tuple)
     */
    public PickleReader(InputStream in, String source, Reducer reducer, Function<Object, Object> persistentLoad) {
        this.in = in;
        this.source = source;
        this.reducer = reducer;
        this.persistentLoad = persistentLoad;
    }

    /** Reads one pickled object. */
    public Object load() throws IOException {
        stack.clear();
        marks.clear();
        memo.clear();
        while (true) {
            long at = position;
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> bytes(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1) {
                        throw error(at, "pickle ends with " + stack.size() + " values on the stack");
                    }
                    return stack.remove(0);
                }
                case '(' -> marks.add(stack.size());
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(tuple());
                case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) s32());
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (u8() | (u8() << 8)));
                case 0x8a -> push(longOf(bytes(u8()))); // LONG1
                case 0x8b -> push(longOf(bytes(length(s32(), at)))); // LONG4
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).getDouble()); // BINFLOAT, big-endian
                case 'X' -> push(new String(bytes(length(s32(), at)), StandardCharsets.UTF_8));
                case 0x8c -> push(new String(bytes(u8()), StandardCharsets.UTF_8));
                case 0x8d -> push(new String(bytes(length(s64(), at)), StandardCharsets.UTF_8));
                case 'T' -> push(new String(bytes(length(s32(), at)), StandardCharsets.ISO_8859_1)); // py2 str
                case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
                case 'B' -> push(bytes(length(s32(), at)));
                case 'C' -> push(bytes(u8()));
                case 0x8e -> push(bytes(length(s64(), at)));
                case 't' -> push(Collections.unmodifiableList(popMark(at)));
                case 0x85 -> push(tuple(pop(at)));
                case 0x86 -> {
                    Object b = pop(at);
                    Object a = pop(at);
                    push(tuple(a, b));
                }
                case 0x87 -> {
                    Object c = pop(at);
                    Object b = pop(at);
                    Object a = pop(at);
                    push(tuple(a, b, c));
                }
                case 'l' -> push(new ArrayList<>(popMark(at)));
                case 'd' -> {
                    List<Object> items = popMark(at);
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                    push(dict);
                }
                case 'a' -> {
                    Object value = pop(at);
                    list(peek(at), at).add(value);
                }
                case 'e' -> {
                    List<Object> items = popMark(at);
                    list(peek(at), at).addAll(items);
                }
                case 's' -> {
                    Object value = pop(at);
                    Object key = pop(at);
                    dict(peek(at), at).put(key, value);
                }
                case 'u' -> {
                    List<Object> items = popMark(at);
                    Map<Object, Object> dict = dict(peek(at), at);
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                }
                case 0x90 -> { // ADDITEMS
                    List<Object> items = popMark(at);
                    set(peek(at), at).addAll(items);
                }
                case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(popMark(at)))); // FROZENSET
                case 'q' -> memo.put((long) u8(), peek(at));
                case 'r' -> memo.put(s32() & 0xffffffffL, peek(at));
                case 0x94 -> memo.put((long) memo.size(), peek(at)); // MEMOIZE
                case 'h' -> push(memoGet(u8(), at));
                case 'j' -> push(memoGet(s32() & 0xffffffffL, at));
                case 'c' -> push(new Global(line(), line()));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(at);
                    Object module = pop(at);
                    push(new Global(String.valueOf(module), String.valueOf(name)));
                }
                case 'R' -> {
                    Object args = pop(at);
                    Object callable = pop(at);
                    push(call(callable, args, at));
                }
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
                    Object args = pop(at);
                    Object cls = pop(at);
                    push(call(cls, args, at));
                }
                case 0x92 -> { // NEWOBJ_EX
                    pop(at);
                    Object args = pop(at);
                    Object cls = pop(at);
                    push(call(cls, args, at));
                }
                case 'b' -> { // BUILD: only unknown objects keep their state; an OrderedDict's _metadata is dropped
                    Object state = pop(at);
                    if (peek(at) instanceof Call c) {
                        c.state = state;
                    }
                }
                case 'Q' -> push(persistentLoad.apply(pop(at)));
                case 'P' -> push(persistentLoad.apply(line()));
                default -> throw error(at, String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    private Object call(Object callable, Object args, long at) throws CheckpointException {
        if (!(callable instanceof Global g)) {
            throw error(at, "REDUCE of something that is not a global: " + describe(callable));
        }
        if (!(args instanceof List<?> list)) {
            throw error(at, "REDUCE of " + g + " with arguments that are not a tuple: " + describe(args));
        }
        @SuppressWarnings("unchecked")
        List<Object> argList = (List<Object>) list;
        Object value = reducer.reduce(g, argList);
        return value != null ? value : new Call(g, argList);
    }

    private static List<Object> tuple(Object... items) {
        return Collections.unmodifiableList(new ArrayList<>(java.util.Arrays.asList(items)));
    }

    private static Object longOf(byte[] littleEndian) {
        if (littleEndian.length == 0) {
            return 0L;
        }
        byte[] big = new byte[littleEndian.length];
        for (int i = 0; i < big.length; i++) {
            big[i] = littleEndian[big.length - 1 - i];
        }
        BigInteger value = new BigInteger(big);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop(long at) throws CheckpointException {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw error(at, "pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(long at) throws CheckpointException {
        if (stack.isEmpty()) {
            throw error(at, "pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(long at) throws CheckpointException {
        if (marks.isEmpty()) {
            throw error(at, "pickle MARK missing");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(from, stack.size()));
        stack.subList(from, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key, long at) throws CheckpointException {
        if (!memo.containsKey(key)) {
            throw error(at, "pickle memo has no entry " + key);
        }
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, long at) throws CheckpointException {
        if (o instanceof ArrayList<?> l) { // a Python list; tuples are immutable
            return (List<Object>) l;
        }
        throw error(at, "APPEND to something that is not a list: " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, long at) throws CheckpointException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        if (o instanceof Call c) { // a dict subclass we do not model: keep its items as its state
            if (!(c.state instanceof Map)) {
                c.state = new LinkedHashMap<>();
            }
            return (Map<Object, Object>) c.state;
        }
        throw error(at, "SETITEM on something that is not a dict: " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set(Object o, long at) throws CheckpointException {
        if (o instanceof Set<?> s) {
            return (Set<Object>) s;
        }
        throw error(at, "ADDITEMS to something that is not a set: " + describe(o));
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private int length(long n, long at) throws CheckpointException {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw error(at, "pickle item length " + n + " is impossible");
        }
        return (int) n;
    }

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated();
        }
        position++;
        return b;
    }

    private int s32() throws IOException {
        return ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private long s64() throws IOException {
        return ByteBuffer.wrap(bytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw truncated();
        }
        position += n;
        return b;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = u8(); c != '\n'; c = u8()) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private CheckpointException truncated() {
        return new CheckpointException(
                source + ": truncated: the pickle ends at byte " + position + " before its STOP opcode",
                new EOFException());
    }

    private CheckpointException error(long at, String what) {
        return new CheckpointException(source + ": " + what + " (pickle byte " + at + ")");
    }
}
