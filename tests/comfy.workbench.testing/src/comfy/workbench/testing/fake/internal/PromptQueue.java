package comfy.workbench.testing.fake.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * ComfyUI's {@code PromptQueue}: a binary min-heap with Python's {@code heapq} algorithms (so that {@code GET /queue}
 * lists pending items in the same heap order as the real server), the running item, and the in-memory history.
 */
public final class PromptQueue {

    /** A queue item: {@code [number, prompt_id, prompt, extra_data, outputs_to_execute]}. */
    public record Item(Number number, String promptId, JsonObject prompt, JsonObject extraData, List<String> outputs) {
        public JsonArray toJson() {
            return Json.arr(number, promptId, prompt, extraData, Json.strings(outputs));
        }

        public String clientId() {
            return Json.str(extraData, "client_id");
        }
    }

    private static final int MAXIMUM_HISTORY_SIZE = 10000;
    private static final Comparator<Item> ORDER = Comparator.<Item>comparingDouble(i -> i.number().doubleValue())
            .thenComparing(Item::promptId);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final List<Item> heap = new ArrayList<>();
    private final Map<String, JsonObject> history = new LinkedHashMap<>();
    private final IntConsumer onUpdate;
    private Item running;
    private long counter;

    /** @param onUpdate called with {@code queue_remaining} after every change, under the queue's lock (keeps status order) */
    public PromptQueue(IntConsumer onUpdate) {
        this.onUpdate = onUpdate;
    }

    /** The next {@code number} from the server counter, advanced for every accepted JSON body without {@code number}. */
    public long nextNumber() {
        lock.lock();
        try {
            return counter++;
        } finally {
            lock.unlock();
        }
    }

    public void put(Item item) {
        lock.lock();
        try {
            heap.add(item);
            siftDown(0, heap.size() - 1);
            updated();
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lowest {@code number}, or returns {@code null} after the timeout. */
    public Item take(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (heap.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = available.awaitNanos(nanos);
            }
            Item last = heap.remove(heap.size() - 1);
            Item top = last;
            if (!heap.isEmpty()) {
                top = heap.get(0);
                heap.set(0, last);
                siftUp(0);
            }
            running = top;
            updated();
            return top;
        } finally {
            lock.unlock();
        }
    }

    /** Stores the history entry and clears the running slot, like {@code task_done}. */
    public void done(Item item, JsonObject outputs, JsonObject status, JsonObject meta) {
        lock.lock();
        try {
            if (history.size() >= MAXIMUM_HISTORY_SIZE) {
                history.remove(history.keySet().iterator().next());
            }
            history.put(item.promptId(), Json.obj("prompt", item.toJson(), "outputs", outputs, "status", status, "meta", meta));
            running = null;
            updated();
        } finally {
            lock.unlock();
        }
    }

    public boolean delete(String promptId) {
        lock.lock();
        try {
            for (int i = 0; i < heap.size(); i++) {
                if (heap.get(i).promptId().equals(promptId)) {
                    heap.remove(i);
                    for (int j = heap.size() / 2 - 1; j >= 0; j--) {
                        siftUp(j);
                    }
                    updated();
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            heap.clear();
            updated();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets everything, as a restarted server has: queue, running item, history and the number counter. */
    public void reset() {
        lock.lock();
        try {
            heap.clear();
            history.clear();
            running = null;
            counter = 0;
        } finally {
            lock.unlock();
        }
    }

    public int remaining() {
        lock.lock();
        try {
            return heap.size() + (running == null ? 0 : 1);
        } finally {
            lock.unlock();
        }
    }

    public Item running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Pending items in heap order (as the real server lists them). */
    public List<Item> pending() {
        lock.lock();
        try {
            return List.copyOf(heap);
        } finally {
            lock.unlock();
        }
    }

    public JsonObject history(String promptId) {
        lock.lock();
        try {
            JsonObject entry = history.get(promptId);
            return entry == null ? new JsonObject() : Json.obj(promptId, entry.deepCopy());
        } finally {
            lock.unlock();
        }
    }

    /** {@code get_history(max_items, offset)}: with only max_items, the last N entries. */
    public JsonObject history(Integer maxItems, int offset) {
        lock.lock();
        try {
            int start = offset < 0 && maxItems != null ? history.size() - maxItems : offset;
            JsonObject out = new JsonObject();
            int i = 0;
            for (Map.Entry<String, JsonObject> e : history.entrySet()) {
                if (i >= start) {
                    out.add(e.getKey(), e.getValue().deepCopy());
                    if (maxItems != null && out.size() >= maxItems) {
                        break;
                    }
                }
                i++;
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Map<String, JsonObject> historySnapshot() {
        lock.lock();
        try {
            return new LinkedHashMap<>(history);
        } finally {
            lock.unlock();
        }
    }

    public void deleteHistory(String promptId) {
        lock.lock();
        try {
            history.remove(promptId);
        } finally {
            lock.unlock();
        }
    }

    public void clearHistory() {
        lock.lock();
        try {
            history.clear();
        } finally {
            lock.unlock();
        }
    }

    private void updated() {
        onUpdate.accept(heap.size() + (running == null ? 0 : 1));
    }

    private void siftDown(int start, int pos) {
        Item item = heap.get(pos);
        while (pos > start) {
            int parent = (pos - 1) >> 1;
            if (ORDER.compare(item, heap.get(parent)) < 0) {
                heap.set(pos, heap.get(parent));
                pos = parent;
                continue;
            }
            break;
        }
        heap.set(pos, item);
    }

    private void siftUp(int pos) {
        int end = heap.size();
        int start = pos;
        Item item = heap.get(pos);
        int child = 2 * pos + 1;
        while (child < end) {
            int right = child + 1;
            if (right < end && !(ORDER.compare(heap.get(child), heap.get(right)) < 0)) {
                child = right;
            }
            heap.set(pos, heap.get(child));
            pos = child;
            child = 2 * pos + 1;
        }
        heap.set(pos, item);
        siftDown(start, pos);
    }
}
