package org.dataversebackup.emulator;

/** Dataverse AttributeTypeCode with what the emulator needs to know about each. */
enum AttrType {
    BOOLEAN("Boolean", "BooleanType", "BooleanAttributeMetadata", "Edm.Boolean", Storage.BOOL),
    CUSTOMER("Customer", "CustomerType", "LookupAttributeMetadata", "Edm.Guid", Storage.REF),
    DATETIME("DateTime", "DateTimeType", "DateTimeAttributeMetadata", "Edm.DateTimeOffset", Storage.DATETIME),
    DECIMAL("Decimal", "DecimalType", "DecimalAttributeMetadata", "Edm.Decimal", Storage.DECIMAL),
    DOUBLE("Double", "DoubleType", "DoubleAttributeMetadata", "Edm.Double", Storage.DOUBLE),
    INTEGER("Integer", "IntegerType", "IntegerAttributeMetadata", "Edm.Int32", Storage.INT),
    LOOKUP("Lookup", "LookupType", "LookupAttributeMetadata", "Edm.Guid", Storage.UUID),
    MEMO("Memo", "MemoType", "MemoAttributeMetadata", "Edm.String", Storage.STRING),
    MONEY("Money", "MoneyType", "MoneyAttributeMetadata", "Edm.Decimal", Storage.DECIMAL),
    OWNER("Owner", "OwnerType", "LookupAttributeMetadata", "Edm.Guid", Storage.REF),
    PICKLIST("Picklist", "PicklistType", "PicklistAttributeMetadata", "Edm.Int32", Storage.INT),
    STATE("State", "StateType", "StateAttributeMetadata", "Edm.Int32", Storage.INT),
    STATUS("Status", "StatusType", "StatusAttributeMetadata", "Edm.Int32", Storage.INT),
    STRING("String", "StringType", "StringAttributeMetadata", "Edm.String", Storage.STRING),
    UNIQUEIDENTIFIER("Uniqueidentifier", "UniqueidentifierType", "UniqueIdentifierAttributeMetadata", "Edm.Guid", Storage.UUID),
    VIRTUAL("Virtual", "VirtualType", "AttributeMetadata", "Edm.String", Storage.NONE),
    BIGINT("BigInt", "BigIntType", "BigIntAttributeMetadata", "Edm.Int64", Storage.LONG),
    ENTITYNAME("EntityName", "EntityNameType", "EntityNameAttributeMetadata", "Edm.String", Storage.NONE),
    /** A file column: AttributeTypeCode has no File, so Virtual with AttributeTypeName FileType; its row value is the file id. */
    FILE("Virtual", "FileType", "FileAttributeMetadata", "Edm.Guid", Storage.UUID),
    /** An image column: Virtual with AttributeTypeName ImageType; its row value is the thumbnail, base64 (Edm.Binary). */
    IMAGE("Virtual", "ImageType", "ImageAttributeMetadata", "Edm.Binary", Storage.STRING);

    /** How a value is kept in a row. */
    enum Storage { STRING, INT, LONG, DECIMAL, DOUBLE, BOOL, UUID, REF, DATETIME, DATE, NONE }

    final String code;
    final String typeName;
    final String metadataType;
    final String edm;
    final Storage storage;

    AttrType(String code, String typeName, String metadataType, String edm, Storage storage) {
        this.code = code;
        this.typeName = typeName;
        this.metadataType = metadataType;
        this.edm = edm;
        this.storage = storage;
    }

    boolean isLookup() {
        return this == LOOKUP || this == CUSTOMER || this == OWNER;
    }

    boolean isFileOrImage() {
        return this == FILE || this == IMAGE;
    }

    boolean isOptionSet() {
        return this == PICKLIST || this == STATE || this == STATUS;
    }
}
