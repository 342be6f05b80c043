# Richards: Martin Richards' operating-system simulation benchmark. Six tasks
# (an idle task, a worker, two handlers, two devices) pass packets through a
# priority scheduler; the check line gives the packets queued and the times a
# task was held, which the algorithm fixes (23246 and 9297 per 10000-count run).
import sys

ID_IDLE = 0
ID_WORKER = 1
ID_HANDLER_A = 2
ID_HANDLER_B = 3
ID_DEVICE_A = 4
ID_DEVICE_B = 5
NUM_IDS = 6

KIND_DEVICE = 0
KIND_WORK = 1
DATA_SIZE = 4

# Task states are bit sets: runnable (a packet is waiting), suspended, held.
RUNNING = 0
RUNNABLE = 1
SUSPENDED = 2
HELD = 4
SUSPENDED_RUNNABLE = SUSPENDED | RUNNABLE


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.count = 0
        self.data = [0] * DATA_SIZE

    def add_to(self, queue):
        self.link = None
        if queue is None:
            return self
        last = queue
        nxt = last.link
        while nxt is not None:
            last = nxt
            nxt = last.link
        last.link = self
        return queue


class TaskControlBlock:
    def __init__(self, link, ident, priority, queue, task):
        self.link = link
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.task = task
        self.state = SUSPENDED if queue is None else SUSPENDED_RUNNABLE

    def held_or_suspended(self):
        return (self.state & HELD) != 0 or self.state == SUSPENDED

    def check_priority_add(self, task, packet):
        if self.queue is None:
            self.queue = packet
            self.state |= RUNNABLE
            if self.priority > task.priority:
                return self
        else:
            self.queue = packet.add_to(self.queue)
        return task

    def run(self):
        if self.state == SUSPENDED_RUNNABLE:
            packet = self.queue
            self.queue = packet.link
            self.state = RUNNING if self.queue is None else RUNNABLE
        else:
            packet = None
        return self.task.run(packet)


class Scheduler:
    def __init__(self):
        self.blocks = [None] * NUM_IDS
        self.list = None
        self.current = None
        self.current_id = 0
        self.queue_count = 0
        self.hold_count = 0

    def add_task(self, ident, priority, queue, task):
        self.current = TaskControlBlock(self.list, ident, priority, queue, task)
        self.list = self.current
        self.blocks[ident] = self.current

    def add_running_task(self, ident, priority, queue, task):
        self.add_task(ident, priority, queue, task)
        self.current.state = RUNNING

    def schedule(self):
        tcb = self.list
        while tcb is not None:
            if tcb.held_or_suspended():
                tcb = tcb.link
            else:
                self.current = tcb
                self.current_id = tcb.ident
                tcb = tcb.run()

    def release(self, ident):
        tcb = self.blocks[ident]
        tcb.state &= ~HELD
        if tcb.priority > self.current.priority:
            return tcb
        return self.current

    def hold_current(self):
        self.hold_count += 1
        self.current.state |= HELD
        return self.current.link

    def suspend_current(self):
        self.current.state |= SUSPENDED
        return self.current

    def queue(self, packet):
        tcb = self.blocks[packet.ident]
        self.queue_count += 1
        packet.link = None
        packet.ident = self.current_id
        return tcb.check_priority_add(self.current, packet)


class IdleTask:
    def __init__(self, sched, seed, count):
        self.sched = sched
        self.seed = seed
        self.count = count

    def run(self, packet):
        self.count -= 1
        if self.count == 0:
            return self.sched.hold_current()
        if self.seed & 1 == 0:
            self.seed >>= 1
            return self.sched.release(ID_DEVICE_A)
        self.seed = (self.seed >> 1) ^ 0xD008
        return self.sched.release(ID_DEVICE_B)


class DeviceTask:
    def __init__(self, sched):
        self.sched = sched
        self.pending = None

    def run(self, packet):
        if packet is None:
            if self.pending is None:
                return self.sched.suspend_current()
            p = self.pending
            self.pending = None
            return self.sched.queue(p)
        self.pending = packet
        return self.sched.hold_current()


class WorkerTask:
    def __init__(self, sched):
        self.sched = sched
        self.dest = ID_HANDLER_A
        self.letter = 0

    def run(self, packet):
        if packet is None:
            return self.sched.suspend_current()
        self.dest = ID_HANDLER_B if self.dest == ID_HANDLER_A else ID_HANDLER_A
        packet.ident = self.dest
        packet.count = 0
        data = packet.data
        for i in range(DATA_SIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            data[i] = self.letter
        return self.sched.queue(packet)


class HandlerTask:
    def __init__(self, sched):
        self.sched = sched
        self.work = None
        self.devices = None

    def run(self, packet):
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work = packet.add_to(self.work)
            else:
                self.devices = packet.add_to(self.devices)
        work = self.work
        if work is not None:
            n = work.count
            if n < DATA_SIZE:
                dev = self.devices
                if dev is not None:
                    self.devices = dev.link
                    dev.count = work.data[n]
                    work.count = n + 1
                    return self.sched.queue(dev)
            else:
                self.work = work.link
                return self.sched.queue(work)
        return self.sched.suspend_current()


def run_once(count):
    s = Scheduler()
    s.add_running_task(ID_IDLE, 0, None, IdleTask(s, 1, count))
    q = Packet(None, ID_WORKER, KIND_WORK)
    q = Packet(q, ID_WORKER, KIND_WORK)
    s.add_task(ID_WORKER, 1000, q, WorkerTask(s))
    for handler, device, prio in ((ID_HANDLER_A, ID_DEVICE_A, 2000),
                                  (ID_HANDLER_B, ID_DEVICE_B, 3000)):
        q = Packet(None, device, KIND_DEVICE)
        q = Packet(q, device, KIND_DEVICE)
        q = Packet(q, device, KIND_DEVICE)
        s.add_task(handler, prio, q, HandlerTask(s))
    s.add_task(ID_DEVICE_A, 4000, None, DeviceTask(s))
    s.add_task(ID_DEVICE_B, 5000, None, DeviceTask(s))
    s.schedule()
    return s.queue_count, s.hold_count


def main(iterations):
    queued = held = 0
    for _ in range(iterations):
        q, h = run_once(10000)
        queued += q
        held += h
    print(f"richards x{iterations}: queued {queued} held {held}")


main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
