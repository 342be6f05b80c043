# A linked list a->b->c finalizes head to tail when the head is dropped.
class Node:
    def __init__(self, name, next=None):
        self.name = name
        self.next = next
    def __del__(self):
        print("del", self.name)
head = Node("a", Node("b", Node("c", Node("d"))))
print("dropping head")
head = None
print("done")
