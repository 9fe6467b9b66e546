// A stand-in for a Kafka broker's ZooKeeper registration, for the end-to-end
// suite (scripts/e2e/zk-scenario.mjs compiles it with javac at run time).
//
// It holds one ZooKeeper session, creates the ephemeral znode /brokers/ids/N
// the way a broker does, and, like a broker, registers again with a new
// session when its session expires. Every state change is one JSON line on
// stdout, with the wall-clock epoch ms, so the harness knows the session ids
// and when each was registered, disconnected or expired:
//
//   {"event":"registered","broker":1,"session":"0x1000013c0d50000","t":1700000000000}
//
// Usage: java -cp <zookeeper classpath>:<classes> BrokerSession CONNECT BROKER_ID SESSION_TIMEOUT_MS
// It runs until it is killed.

import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

public final class BrokerSession {
  private static String connect;
  private static int brokerId;
  private static int timeoutMs;

  private static synchronized void emit(String event, long session, String extra) {
    StringBuilder b = new StringBuilder();
    b.append("{\"event\":\"").append(event).append("\",\"broker\":").append(brokerId);
    if (session != 0) b.append(",\"session\":\"0x").append(Long.toHexString(session)).append('"');
    if (extra != null) b.append(',').append(extra);
    b.append(",\"t\":").append(System.currentTimeMillis()).append('}');
    System.out.println(b);
    System.out.flush();
  }

  private static void ensure(ZooKeeper zk, String path) throws Exception {
    try {
      zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException ignored) {
      // another broker made it first
    }
  }

  /** Connects, registers, and returns when the session expires. */
  private static void oneSession() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    CountDownLatch expired = new CountDownLatch(1);
    final ZooKeeper[] holder = new ZooKeeper[1];
    Watcher watcher = (WatchedEvent e) -> {
      if (e.getType() != Watcher.Event.EventType.None) return;
      long sid = holder[0] == null ? 0 : holder[0].getSessionId();
      switch (e.getState()) {
        case SyncConnected:
          connected.countDown();
          emit("connected", sid, null);
          break;
        case Disconnected:
          emit("disconnected", sid, null);
          break;
        case Expired:
          emit("expired", sid, null);
          expired.countDown();
          break;
        default:
          emit("state", sid, "\"state\":\"" + e.getState() + "\"");
      }
    };
    ZooKeeper zk = new ZooKeeper(connect, timeoutMs, watcher);
    holder[0] = zk;
    connected.await();
    String path = "/brokers/ids/" + brokerId;
    for (int attempt = 0; ; attempt++) {
      try {
        ensure(zk, "/brokers");
        ensure(zk, "/brokers/ids");
        zk.create(path, ("{\"host\":\"127.0.0.1\",\"id\":" + brokerId + "}").getBytes("UTF-8"),
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        break;
      } catch (KeeperException.NodeExistsException e) {
        // the previous session's znode is still there until that session expires
        if (attempt > 200) throw e;
        Thread.sleep(100);
      } catch (KeeperException.ConnectionLossException e) {
        Thread.sleep(100);
      } catch (KeeperException.SessionExpiredException e) {
        zk.close();
        return;
      }
    }
    emit("registered", zk.getSessionId(), "\"timeoutMs\":" + zk.getSessionTimeout());
    expired.await();
    zk.close();
  }

  public static void main(String[] args) throws Exception {
    connect = args[0];
    brokerId = Integer.parseInt(args[1]);
    timeoutMs = Integer.parseInt(args[2]);
    emit("starting", 0, null);
    while (true) oneSession();
  }
}
