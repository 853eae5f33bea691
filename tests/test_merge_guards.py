"""Every fact guard, both ways, through the real merge: a pair merges when only the guarded part is equal, and
never merges (the audit naming the guard) when that part differs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from handbook.merge import FACT_GUARDS, NEAR_DUPLICATE, load_topics, merge_notes
from handbook.merge.guards import Compared, Lexicon, fact_signature, guard_conflict, meaning_conflict, meaning_signature
from handbook.merge.lsh import similarity
from handbook.merge.outline import FactTermsSchema, TopicsSchema
from handbook.merge.text import comparison_text, words
from tests.conftest import DATA, norm


@pytest.fixture(scope="module")
def outline():
    return load_topics(DATA)


Note = tuple[str, str]  # (path, Markdown)


@dataclass(frozen=True)
class GuardCase:
    """Two notes whose similar blocks merge (`same`), and two whose blocks differ only in the guarded part."""

    guard: str
    same: tuple[Note, Note]
    differs: tuple[Note, Note]

    def __str__(self) -> str:
        return self.guard


def statements(left: str, right: str) -> tuple[Note, Note]:
    """Two notes on one subject (a text that names no service or owner is about what its note and heading are
    about), each saying something of its own and then one of the texts."""
    return (("a.md", f"# Operations notes\n\nNotes from the first workshop on cloud operations.\n\n## Details\n\n{left}\n"),
            ("b.md", f"# Operations notes\n\nReading list for the certification exam in spring.\n\n## Details\n\n{right}\n"))


def text_case(guard: str, text: str, variant: str, other: str) -> GuardCase:
    """`variant` differs from `text` in an unguarded word; `other` only in the guarded part."""
    return GuardCase(guard, statements(text, variant), statements(text, other))


INTRODUCTIONS = {"a.md": "Collected while preparing the first lab.", "b.md": "Questions a colleague asked last week.",
                 "iam.md": "Users, groups, roles and their policies.", "roles.md": "Who may assume which role, and how.",
                 "health.md": "Events that affect the resources of the account.",
                 "alb.md": "Layer seven balancing of web requests.", "nlb.md": "Layer four balancing of connections.",
                 "alb-logs.md": "Where the request logs land and how to read them."}


def titled(title: str, text: str, path: str, heading: str = "Scope") -> Note:
    """A note with its own title and introduction, then `text` under `heading`."""
    return path, f"# {title}\n\n{INTRODUCTIONS[path]}\n\n## {heading}\n\n{text}\n"


CASES = [
    # ---- owner: AWS, the customer, you ----
    text_case("actor", "AWS manages the encryption keys that protect the objects in the bucket.",
              "AWS manages the encryption keys that protect all the objects in the bucket.",
              "You manage the encryption keys that protect the objects in the bucket."),
    text_case("actor", "Your team patches the guest operating system of every instance.",
              "Your team patches the guest operating systems of every instance.",
              "AWS patches the guest operating system of every instance."),
    text_case("actor", "The customer configures the security groups of each instance in the account.",
              "The customer configures all the security groups of each instance in the account.",
              "Configures the security groups of each instance in the account."),  # names no owner
    # ---- negation ----
    text_case("negation", "Data is replicated across regions by default in every account.",
              "Data is replicated across the regions by default in every account.",
              "Data is not replicated across regions by default in every account."),
    # ---- direction ----
    text_case("direction", "Control of inbound network traffic to your instances is the job of security groups.",
              "Control of inbound network traffic to your instances is the job of the security groups.",
              "Control of outbound network traffic to your instances is the job of security groups."),
    # ---- category ----
    text_case("category", "Infrastructure services such as Amazon EC2 give you full control of the operating system.",
              "Infrastructure services such as Amazon EC2 give you the full control of the operating system.",
              "Container services such as Amazon EC2 give you full control of the operating system."),
    # ---- service ----
    text_case("service", "You can encrypt the data stored in Amazon EC2 volumes with your own keys.",
              "You can encrypt all the data stored in Amazon EC2 volumes with your own keys.",
              "You can encrypt the data stored in Amazon EBS volumes with your own keys."),
    text_case("service", "Access logs of the ALB are delivered to a bucket every five minutes.",
              "Access logs of the ALB are delivered to the bucket every five minutes.",
              "Access logs of the NLB are delivered to a bucket every five minutes."),
    # ---- numbers and versions ----
    text_case("number", "Core applications are deployed in an N+1 configuration across the zones.",
              "Core applications are deployed in a N+1 configuration across the zones.",
              "Core applications are deployed in an N+2 configuration across the zones."),
    text_case("number", "Clients connect to the load balancer over TLS 1.2 with modern ciphers only.",
              "Clients connect to the load balancer over TLS 1.2 with the modern ciphers only.",
              "Clients connect to the load balancer over TLS 1.3 with modern ciphers only."),
    text_case("number", "Clients connect to the load balancer over TLS 1.2 with modern ciphers only.",
              "Clients connect to the load balancer over TLS 1.2 with the modern ciphers only.",
              "Clients connect to the load balancer over TLS 2.1 with modern ciphers only."),  # same digits
    text_case("number", "Build the image with `docker build -t my-web:v2 .` before pushing it to the registry.",
              "Build the image with `docker build -t my-web:v2 .` before pushing it to their registry.",
              "Build the image with `docker build -t my-web .` before pushing it to the registry."),
    text_case("number", "Volumes of type gp3 give a baseline of IOPS that does not depend on their size.",
              "Volumes of the type gp3 give a baseline of IOPS that does not depend on their size.",
              "Volumes of type gp2 give a baseline of IOPS that does not depend on their size."),
    # ---- units ----
    text_case("unit", "Each volume holds up to 16 TB of data and is replicated within its zone.",
              "Each volume holds up to 16 TB of data and it is replicated within its zone.",
              "Each volume holds up to 16 GB of data and is replicated within its zone."),
    text_case("unit", "Latency stays under 10 ms for every read request served from the cache.",
              "Latency stays under 10 ms for every read request served from the local cache.",
              "Latency stays under 10 s for every read request served from the cache."),
    text_case("unit", "Instances of this family are billed per hour while they are running.",
              "Instances of this family are billed per hour while they are all running.",
              "Instances of this family are billed per second while they are running."),
    # ---- storage classes and tiers ----
    text_case("storage-class", "Objects move to S3 Standard-IA after thirty days without any access.",
              "Objects move to S3 Standard-IA after thirty days without any access at all.",
              "Objects move to S3 Standard after thirty days without any access."),
    text_case("storage-class", "S3 Standard → Frequent access", "S3 Standard: Frequent access",
              "S3 Standard-IA → Infrequent Access"),
    text_case("storage-class", "Objects of the compliance team stay in the Glacier Instant Retrieval class of the "
              "archive bucket for seven years.", "Objects of the compliance team stay in the Glacier Instant "
              "Retrieval class of the archive buckets for seven years.", "Objects of the compliance team stay in "
              "the Glacier Deep Archive class of the archive bucket for seven years."),
    # ---- links and footnotes ----
    text_case("link", "For more info, check [the policy](https://aws.amazon.com/aup/) before you scan ports.",
              "For more info, check [the policy](https://aws.amazon.com/aup/) before you scan the ports.",
              "For more info, check [the policy](https://aws.amazon.com/partners/) before you scan ports."),
    text_case("link", "Read the volume guide before you resize a volume: <https://docs.example.com/guide/volumes.html>",
              "Read the volume guide before you resize the volume: <https://docs.example.com/guide/volumes.html>",
              "Read the volume guide before you resize a volume: <https://docs.example.com/guide/volume.html>"),
    GuardCase("footnote",
              statements("As the paper says.[^wp]\n\n[^wp]: From the AWS whitepaper on the shared responsibility model.",
                         "So the authors wrote.[^wp]\n\n[^wp]: From an AWS whitepaper on the shared responsibility "
                         "model."),
              statements("As the paper says.[^wp]\n\n[^wp]: From the AWS whitepaper on the shared responsibility model.",
                         "So the authors wrote.[^src]\n\n[^src]: From the AWS whitepaper on the shared "
                         "responsibility model.")),
    # ---- subject: what the note or section is about ----
    GuardCase("subject",
              (titled("IAM", "It's a global service.", "iam.md"), titled("IAM roles", "it is a global service", "roles.md")),
              (titled("AWS Health Dashboard", "It's a global service.", "health.md"),
               titled("IAM", "it is a global service", "iam.md"))),
    GuardCase("subject",
              (titled("ALB access logs", "Silent failure if the bucket policy is misconfigured.", "alb.md"),
               titled("Application Load Balancer logs", "Silent failure if the bucket policy is misconfigured.",
                      "alb-logs.md")),
              (titled("NLB access logs", "Silent failure if the bucket policy is misconfigured.", "nlb.md"),
               titled("ALB access logs", "Silent failure if the bucket policy is misconfigured.", "alb.md"))),
    GuardCase("subject",  # the nearest heading that names a service decides, below a title that names none
              (titled("Load balancer logs", "Delivery stops silently when the bucket policy is wrong.", "a.md", "ALB"),
               titled("Logging questions", "Delivery stops silently when the bucket policy is wrong.", "b.md", "ALB")),
              (titled("Load balancer logs", "Delivery stops silently when the bucket policy is wrong.", "a.md", "NLB"),
               titled("Logging questions", "Delivery stops silently when the bucket policy is wrong.", "b.md", "ALB"))),
    GuardCase("subject",  # naming no service or owner, a text is about its heading in its note
              (titled("SageMaker", "It can be used for fraud detection in card payments.", "a.md", "Random Cut Forest"),
               titled("SageMaker", "It can be used for fraud detection in card payments", "b.md", "Random Cut Forest")),
              (titled("SageMaker", "It can be used for fraud detection in card payments.", "a.md", "Random Cut Forest"),
               titled("SageMaker", "It can be used for fraud detection in card payments", "b.md", "IP Insights"))),
    # ---- identifiers: names written as code ----
    text_case("identifier", "The metric StatusCheckFailed_Instance tracks whether the instance passed the status "
              "check within the last minute.", "The metric StatusCheckFailed_Instance tracks whether the instance "
              "passed the status check within the last full minute.", "The metric StatusCheckFailed_System tracks "
              "whether the instance passed the status check within the last minute."),
    # ---- wording: a content word of the shorter text that the longer one lacks ----
    text_case("wording", "Increasing the amount of regularization used reduces overfitting of the model.",
              "Increasing the amount of regularisation used reduces the overfitting of the model.",
              "Decreasing the amount of regularization used reduces overfitting of the model."),
    text_case("wording", "The command aws s3 rm removes the objects in the bucket you name.",
              "The command aws s3 rm removes all the objects in the bucket you name.",
              "The command aws s3 mv moves the objects in the bucket you name."),
    GuardCase("subject",  # a text that names its service is about it wherever it stands
              (titled("AWS Health Dashboard", "IAM is a global service for the whole account.", "health.md"),
               titled("IAM", "IAM is a global service for the whole account", "iam.md")),
              (titled("AWS Health Dashboard", "This is a global service for the whole account.", "health.md"),
               titled("IAM", "This is a global service for the whole account", "iam.md"))),
]


def merge(notes: tuple[Note, Note], outline):
    return merge_notes([norm(text, path=path) for path, text in notes], outline)


def test_every_guard_has_cases() -> None:
    assert {guard.id for guard in FACT_GUARDS} == {case.guard for case in CASES}


@pytest.mark.parametrize("swap", [False, True], ids=["forward", "backward"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_blocks_equal_in_the_guarded_part_merge(outline, case: GuardCase, swap: bool) -> None:
    first, second = reversed(case.same) if swap else case.same
    result = merge((first, second), outline)
    assert result.counts.merged == 1, [m.kept for m in result.merges]
    assert result.guarded == ()


@pytest.mark.parametrize("swap", [False, True], ids=["forward", "backward"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_blocks_that_differ_in_the_guarded_part_never_merge(outline, case: GuardCase, swap: bool) -> None:
    first, second = reversed(case.differs) if swap else case.differs
    result = merge((first, second), outline)
    assert result.counts.merged == 0, [m.kept for m in result.merges]
    (record,) = result.guarded
    assert record.guard == case.guard
    # Similar enough to merge but for the guard: the guard, nothing else, keeps them apart.
    assert similarity(comparison_text(record.left_text), comparison_text(record.right_text)) >= NEAR_DUPLICATE


@pytest.mark.parametrize(("text", "tokens"), [
    ("S3 Standard-IA", ("s3", "standard", "ia")), ("my-web:v2", ("my", "web", "v2")), ("TLS 1.2", ("tls", "1", "2")),
])
def test_how_the_guards_see_versions_and_classes(text: str, tokens: tuple[str, ...]) -> None:
    assert words(text) == tokens


@pytest.mark.parametrize(("left", "right"), [
    ("Answers arrive within 5 s of the request.", "Answers arrive within 5 ms of the request."),
    ("Storage costs 0.023 per GB per month.", "Storage costs 0.023 per TB per month."),
])
def test_a_unit_after_a_number_is_a_unit(outline, left: str, right: str) -> None:
    lexicon = Lexicon(outline.fact_terms)
    assert fact_signature(words(left), left, lexicon) != fact_signature(words(right), right, lexicon)


def test_a_lone_letter_is_a_unit_only_after_a_number(outline) -> None:
    lexicon = Lexicon(outline.fact_terms)
    left, right = "Tag the bucket(s) you create.", "Tag the bucket you create."
    (units,) = [guard for guard in FACT_GUARDS if guard.id == "unit"]
    assert units.signature(Compared(words(left)), lexicon) == units.signature(Compared(words(right)), lexicon) == ()


def test_storage_classes_are_read_from_the_fact_terms() -> None:
    terms = {"actors": {}, "categories": {}, "services": []}
    assert FactTermsSchema.model_validate(terms).storage_classes == []
    with pytest.raises(ValueError):
        FactTermsSchema.model_validate({**terms, "storage_classes": "standard"})
    assert "storage_classes" in TopicsSchema.model_fields["fact_terms"].annotation.model_fields


def _direction_conflict(left: str, right: str, lexicon: Lexicon) -> bool:
    (direction,) = [guard for guard in FACT_GUARDS if guard.id == "direction"]
    a, b = direction.signature(Compared(words(left)), lexicon), direction.signature(Compared(words(right)), lexicon)
    return a != b and direction.differs(a, b)


@pytest.mark.parametrize(("left", "right"), [
    ("Customers are responsible for security in the cloud.",
     "Customers are responsible for the security of everything they put in the cloud."),
    ("AWS is responsible for security of the cloud.", "AWS handles security OF the cloud."),
    ("Amazon S3 offers storage of objects in buckets.", "Amazon S3 offers storage in buckets."),
])
def test_prepositions_that_govern_no_word_of_the_other_text_agree(outline, left: str, right: str) -> None:
    assert not _direction_conflict(left, right, Lexicon(outline.fact_terms))


@pytest.mark.parametrize(("left", "right"), [
    ("AWS is responsible for security of the cloud.", "AWS is responsible for security in the cloud."),
    ("Copy the data from the bucket to the instance.", "Copy the data from the instance to the bucket."),
    ("Move data to S3 from the internet.", "Move data from S3 to the internet."),
    ("Kinesis (ingest streaming data with Firehose)", "can ingest data from Kinesis Streams and Firehose"),
    ("Inbound rules allow traffic to the instance.", "Outbound rules allow traffic to the instance."),
])
def test_a_word_under_another_preposition_or_none_is_another_direction(outline, left: str, right: str) -> None:
    lexicon = Lexicon(outline.fact_terms)
    assert _direction_conflict(left, right, lexicon)
    assert _direction_conflict(right, left, lexicon)


def test_to_before_a_verb_is_no_direction(outline) -> None:
    lexicon = Lexicon(outline.fact_terms)
    assert not _direction_conflict("Use a delegated administrator to avoid using the management account.",
                                   "A delegated administrator avoids using the management account.", lexicon)
    assert _direction_conflict("Send the logs to the security account.",
                               "Send the logs from the security account.", lexicon)


@pytest.mark.parametrize(("left", "right", "agree"), [
    ("[[NACL]] filters the traffic at the level of each subnet.",
     "[[NACL]] filters the traffic at the level of each [[Subnet]].", True),
    ("Security groups filter the traffic of each instance.",
     "[[Security groups]] filter the traffic of each instance.", True),
    ("[[NACL]] filters the traffic at the level of each subnet.",
     "[[Security groups]] filter the traffic at the level of each subnet.", False),
])
def test_by_meaning_a_statement_may_link_to_fewer_pages_but_never_to_others(outline, left, right, agree) -> None:
    lexicon = Lexicon(outline.fact_terms)
    signatures = [meaning_signature(words(text), text, lexicon) for text in (left, right)]
    assert (meaning_conflict(*signatures) is None) == agree
    assert (meaning_conflict(*reversed(signatures)) is None) == agree
    # The block merge compares links for equality: only an equal set of links lets two blocks merge.
    assert (guard_conflict(*[fact_signature(words(t), t, lexicon) for t in (left, right)]) is None) == (left == right)


def test_of_says_whose_it_is_without_moving_anything(outline) -> None:
    lexicon = Lexicon(outline.fact_terms)
    assert not _direction_conflict("Physical security of data centers",
                                   "Securing the Regions and data centers, and the physical security of buildings",
                                   lexicon)
