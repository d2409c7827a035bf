//! SHACL and RDF terms used by the engine.
#![allow(missing_docs)]

use oxrdf::NamedNodeRef;

macro_rules! terms {
    ($ns:literal; $($name:ident = $local:literal),* $(,)?) => {
        $(pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));)*
    };
}

pub const SH: &str = "http://www.w3.org/ns/shacl#";

pub mod sh {
    use super::*;
    terms!("http://www.w3.org/ns/shacl#";
        NODE_SHAPE = "NodeShape", PROPERTY_SHAPE = "PropertyShape", SHAPE = "Shape",
        TARGET_NODE = "targetNode", TARGET_CLASS = "targetClass", TARGET_SUBJECTS_OF = "targetSubjectsOf",
        TARGET_OBJECTS_OF = "targetObjectsOf", PATH = "path", INVERSE_PATH = "inversePath",
        ALTERNATIVE_PATH = "alternativePath", ZERO_OR_MORE_PATH = "zeroOrMorePath",
        ONE_OR_MORE_PATH = "oneOrMorePath", ZERO_OR_ONE_PATH = "zeroOrOnePath",
        DEACTIVATED = "deactivated", SEVERITY = "severity", MESSAGE = "message",
        VIOLATION = "Violation", WARNING = "Warning", INFO = "Info",
        CLASS = "class", DATATYPE = "datatype", NODE_KIND = "nodeKind",
        MIN_COUNT = "minCount", MAX_COUNT = "maxCount",
        MIN_EXCLUSIVE = "minExclusive", MIN_INCLUSIVE = "minInclusive",
        MAX_EXCLUSIVE = "maxExclusive", MAX_INCLUSIVE = "maxInclusive",
        MIN_LENGTH = "minLength", MAX_LENGTH = "maxLength", PATTERN = "pattern", FLAGS = "flags",
        LANGUAGE_IN = "languageIn", UNIQUE_LANG = "uniqueLang",
        EQUALS = "equals", DISJOINT = "disjoint", LESS_THAN = "lessThan", LESS_THAN_OR_EQUALS = "lessThanOrEquals",
        NOT = "not", AND = "and", OR = "or", XONE = "xone", NODE = "node", PROPERTY = "property",
        QUALIFIED_VALUE_SHAPE = "qualifiedValueShape", QUALIFIED_MIN_COUNT = "qualifiedMinCount",
        QUALIFIED_MAX_COUNT = "qualifiedMaxCount", QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
        CLOSED = "closed", IGNORED_PROPERTIES = "ignoredProperties", HAS_VALUE = "hasValue", IN = "in",
        BLANK_NODE = "BlankNode", IRI = "IRI", LITERAL = "Literal", BLANK_NODE_OR_IRI = "BlankNodeOrIRI",
        BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral", IRI_OR_LITERAL = "IRIOrLiteral",
        VALIDATION_REPORT = "ValidationReport", VALIDATION_RESULT = "ValidationResult", CONFORMS = "conforms",
        RESULT = "result", FOCUS_NODE = "focusNode", RESULT_PATH = "resultPath", VALUE = "value",
        SOURCE_SHAPE = "sourceShape", SOURCE_CONSTRAINT = "sourceConstraint", SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
        RESULT_SEVERITY = "resultSeverity", RESULT_MESSAGE = "resultMessage", DETAIL = "detail",
        SPARQL = "sparql", SELECT = "select", PREFIXES = "prefixes", DECLARE = "declare",
        PREFIX = "prefix", NAMESPACE = "namespace",
    );
}

pub mod rdf {
    use super::*;
    terms!("http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        TYPE = "type", FIRST = "first", REST = "rest", NIL = "nil", LANG_STRING = "langString");
}

pub mod rdfs {
    use super::*;
    terms!("http://www.w3.org/2000/01/rdf-schema#"; SUB_CLASS_OF = "subClassOf", CLASS = "Class");
}

pub mod xsd {
    use super::*;
    terms!("http://www.w3.org/2001/XMLSchema#"; BOOLEAN = "boolean", INTEGER = "integer", STRING = "string");
}
