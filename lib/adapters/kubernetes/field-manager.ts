/** The field manager every Flotilla apply uses, so ownership of fields is visible in managedFields. */
export const fieldManager = 'flotilla';
